/*
 * render_md.c - a report as Markdown (for review, diffs and golden tests).
 * Built in a buffer (rbm_publish__md), which rbm_publish_md() writes to a
 * file and rbm_publish_render() hands over.
 */
#include "doc.h"

#include "../core/buf.h"
#include "publish_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void runs(struct rbm_buf *b, const struct rbm_block *blk)
{
	for (size_t i = 0; i < blk->runs_len; i++) {
		const struct rbm_run *r = &blk->runs[i];
		const char *t = r->text ? r->text : "";
		/* Markdown bold cannot start or end with a space: keep the spaces outside. */
		size_t lead = strspn(t, " "), len = strlen(t), trail = 0;
		while (trail < len - lead && t[len - 1 - trail] == ' ')
			trail++;
		const char *mark = r->bold ? "**" : r->italic ? "_" : "";
		if (len == lead) {
			rbm_buf_adds(b, t);
		} else {
			rbm_buf_addf(b, "%.*s%s%.*s%s%.*s", (int)lead, t, mark, (int)(len - lead - trail), t + lead,
				     mark, (int)trail, t + len - trail);
		}
		if (r->footnote)
			rbm_buf_addf(b, "[^%d]", r->footnote);
	}
}

static void cell(struct rbm_buf *b, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '|')
			rbm_buf_adds(b, "\\|");
		else if (*p == '\n')
			rbm_buf_addc(b, ' ');
		else
			rbm_buf_addc(b, *p);
	}
}

void rbm_publish__md(const struct rbm_doc *doc, struct rbm_buf *b)
{
	const struct rbm_doc_meta *m = &doc->meta;
	if (m->body)
		rbm_buf_addf(b, "%s\n\n", m->body);
	if (m->symbol)
		rbm_buf_addf(b, "%s  \n", m->symbol);
	if (m->date)
		rbm_buf_addf(b, "%s\n\n", m->date);
	if (m->session)
		rbm_buf_addf(b, "%s  \n", m->session);
	if (m->place_dates)
		rbm_buf_addf(b, "%s\n\n", m->place_dates);
	if (m->agenda)
		rbm_buf_addf(b, "%s%s\n\n", m->agenda, m->agenda_note ? "[^a]" : "");
	if (m->agenda_title)
		rbm_buf_addf(b, "**%s**\n\n", m->agenda_title);
	if (m->title)
		rbm_buf_addf(b, "# %s%s\n\n", m->title, m->unedited ? "[^u]" : "");
	if (m->kind)
		rbm_buf_addf(b, "_%s_\n\n", m->kind);
	for (size_t i = 0; i < doc->blocks_len; i++) {
		const struct rbm_block *blk = &doc->blocks[i];
		switch (blk->kind) {
		case RBM_BLOCK_HEADING:
			rbm_buf_addf(b, "%.*s ", blk->level + 1 > 6 ? 6 : blk->level + 1, "######");
			for (size_t k = 0; k < blk->runs_len; k++)
				rbm_buf_adds(b, blk->runs[k].text);
			rbm_buf_adds(b, "\n\n");
			break;
		case RBM_BLOCK_PARAGRAPH:
			if (blk->number)
				rbm_buf_addf(b, "%d\\. ", blk->number);
			runs(b, blk);
			rbm_buf_adds(b, "\n\n");
			break;
		case RBM_BLOCK_ITEM:
			rbm_buf_addf(b, "> (%c) ", blk->letter);
			runs(b, blk);
			rbm_buf_adds(b, "\n\n");
			break;
		case RBM_BLOCK_TABLE: {
			const struct rbm_table *t = blk->table;
			if (t->caption)
				rbm_buf_addf(b, "Table: %s\n\n", t->caption);
			for (size_t r = 0; r < t->rows; r++) {
				rbm_buf_adds(b, "|");
				for (size_t c = 0; c < t->cols; c++) {
					rbm_buf_addc(b, ' ');
					cell(b, t->cells[r * t->cols + c]);
					rbm_buf_adds(b, " |");
				}
				rbm_buf_addc(b, '\n');
				if (r == 0) {
					rbm_buf_adds(b, "|");
					for (size_t c = 0; c < t->cols; c++)
						rbm_buf_adds(b, t->right && t->right[c] ? " ---: |" : " --- |");
					rbm_buf_addc(b, '\n');
				}
			}
			rbm_buf_addc(b, '\n');
			break;
		}
		case RBM_BLOCK_CHART: {
			const struct rbm_chart *c = blk->chart;
			rbm_buf_addf(b, "Chart: %s\n\n| | %% | |\n| --- | ---: | --- |\n", c->title ? c->title : "");
			for (size_t k = 0; k < c->bars; k++) {
				rbm_buf_adds(b, "| ");
				cell(b, c->labels[k]);
				if (isnan(c->values[k]))
					rbm_buf_addf(b, " | – | %s |\n", c->statuses[k]);
				else
					rbm_buf_addf(b, " | %.0f | %s |\n", c->values[k], c->statuses[k]);
			}
			rbm_buf_addc(b, '\n');
			break;
		}
		}
	}
	if (m->agenda_note)
		rbm_buf_addf(b, "[^a]: %s\n", m->agenda_note);
	if (m->unedited)
		rbm_buf_addf(b, "[^u]: %s\n", m->unedited);
	for (size_t i = 0; i < doc->footnotes_len; i++)
		rbm_buf_addf(b, "[^%zu]: %s\n", i + 1, doc->footnotes[i]);
}

enum rbm_rc rbm_publish_md(const struct rbm_doc *doc, const char *path, struct rbm_diag *d)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	rbm_publish__md(doc, &b);
	enum rbm_rc rc = rbm_publish__write_file(path, b.data, b.len, d);
	rbm_buf_free(&b);
	return rc;
}
