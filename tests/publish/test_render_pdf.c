/*
 * test_render_pdf.c - rbm_publish_pdf: a UN-style note in the six languages,
 * checked with poppler's tools as a reader would see it: pdftotext for the
 * header block, paragraph numbers, lettered items, figures, footnotes and
 * page numbers; pdftotext -bbox for where the numbers sit (right in Arabic);
 * pdffonts for embedded fonts; pdfinfo for the page count. Also a long
 * report (pages, repeated table header, footnotes on their page, time),
 * an unwritable path, broken UTF-8 and a machine without the fonts.
 *
 * Set RBM_TEST_PDF_DIR to keep the PDFs there for a look.
 */
#include "harness/test.h"

#include "core/diag.h"
#include "publish/doc.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One language's sample note: every string written for these tests. */
struct sample {
	enum rbm_lang lang;
	const char *body, *session, *place_dates, *date, *agenda, *agenda_note, *agenda_title, *title,
		*kind, *unedited;
	const char *h1, *h2;
	const char *p1, *fn1;
	const char *domain, *p2; /* bold domain name, then the rest with the figures */
	const char *p3;
	const char *flagship_a, *item_a, *item_b;
	const char *caption, *head[4], *row[2];
	const char *chart_title, *chart_label, *chart_caption;
	const char *figures[3]; /* what pdftotext must show of p2 */
	const char *item_mark;  /* "(a)", "a)", "(أ)" */
	const char *no_data;    /* the chart's word for NaN */
};

static const struct sample EN = {
	RBM_LANG_EN,
	"Executive Board of the United Nations Human Settlements Programme",
	"First session of 2022",
	"Nairobi, 29–31 March 2022",
	"Distr.: General\n10 February 2022\nOriginal: English",
	"Item 10 of the provisional agenda*",
	"* HSP/EB.2022/1.",
	"Implementation of the resolutions and decisions adopted by the UN-Habitat Assembly at its first session",
	"UN-Habitat Strategic Plan 2020–2023: highlights of the 2021 results",
	"Note by the secretariat",
	"The present document is being issued without formal editing.",
	"I. Introduction",
	"II. Results by domain of change",
	"The secretariat presents the main results of 2021, the second year of the plan, gathered from "
	"headquarters and from regional and country offices through a yearly survey.",
	"Survey held in January and February 2022.",
	"Domain of change 1",
	": community-led responses in informal settlements gave access to water and sanitation to "
	"about 2.9 million people in 45 countries.",
	"Five flagship programmes link normative and operational work:",
	"SDG Cities",
	" supported local action in 2021;",
	" mobilized investment in climate resilience.",
	"Table 1. Indicators of domain of change 1",
	{"Indicator", "Baseline", "Target", "Result"},
	{"Countries with water and sanitation projects", "Cities with climate action plans"},
	"Attainment of the 2021 targets",
	"Outcome",
	"Source: rbm, cycle 2021.",
	{"2.9 million people in 45 countries", "Domain of change 1", "HSP/EB.2022/1."},
	"(a)",
	"No data",
};

static const struct sample ZH = {
	RBM_LANG_ZH,
	"联合国人类住区规划署执行局",
	"2022年第一届会议",
	"2022年3月29日至31日，内罗毕",
	"Distr.: General\n2022年2月10日\nChinese\nOriginal: English",
	"临时议程*项目10",
	"* HSP/EB.2022/1。",
	"联合国人居大会第一届会议通过的各项决议和决定的执行情况",
	"2020–2023年人居署战略计划：2021年成果要点",
	"秘书处的说明",
	"本文件未经正式编辑即予印发。",
	"一. 导言",
	"二. 按变革领域分列的成果",
	"秘书处介绍2021年即计划期第二年的主要成果，这些成果通过年度调查从总部、区域办事处和国家办事处收集。",
	"调查于2022年1月和2月进行。",
	"变革领域1",
	"：在非正规住区开展的社区主导应对措施，使 45 个国家约 290 万人获得了供水和环境卫生服务。",
	"五个旗舰方案将规范性工作与业务工作联系起来：",
	"可持续发展目标城市",
	"在2021年支持了地方行动；",
	"为增强气候抗御能力调动了投资。",
	"表1. 变革领域1的指标",
	{"指标", "基线", "目标", "结果"},
	{"开展供水和环境卫生项目的国家", "制定气候行动计划的城市"},
	"2021年目标的实现情况",
	"成果",
	"来源：rbm，2021年周期。",
	{"约 290 万人", "45 个国家", "变革领域1"},
	"(a)",
	"无数据",
};

static const struct sample FR = {
	RBM_LANG_FR,
	"Conseil d’administration du Programme des Nations Unies pour les établissements humains",
	"Première session de 2022",
	"Nairobi, 29–31 mars 2022",
	"Distr. générale\n10 février 2022\nFrançais\nOriginal : anglais",
	"Point 10 de l’ordre du jour provisoire*",
	"* HSP/EB.2022/1.",
	"Application des résolutions et décisions adoptées par l’Assemblée d’ONU-Habitat à sa première session",
	"Plan stratégique d’ONU-Habitat pour 2020-2023 : faits saillants des résultats de 2021",
	"Note du secrétariat",
	"Le présent document n’a pas été revu par les services d’édition.",
	"I. Introduction",
	"II. Résultats par domaine de changement",
	"Le secrétariat présente les principaux résultats de 2021, deuxième année du plan, recueillis "
	"auprès du siège et des bureaux régionaux et de pays au moyen d’une enquête annuelle.",
	"Enquête menée en janvier et février 2022.",
	"Domaine de changement 1",
	" : les interventions menées par les communautés dans les quartiers informels ont donné accès à "
	"l’eau et à l’assainissement à environ 2,9 millions de personnes dans 45 pays.",
	"Cinq programmes phares relient le travail normatif et le travail opérationnel :",
	"Villes ODD",
	" a soutenu l’action locale en 2021 ;",
	" a mobilisé des investissements pour la résilience climatique.",
	"Tableau 1. Indicateurs du domaine de changement 1",
	{"Indicateur", "Référence", "Cible", "Résultat"},
	{"Pays dotés de projets d’eau et d’assainissement", "Villes dotées de plans climat"},
	"Réalisation des cibles de 2021",
	"Réalisation",
	"Source : rbm, cycle 2021.",
	{"2,9 millions de personnes dans 45 pays", "Domaine de changement 1", "Note du secrétariat"},
	"a)",
	"Pas de données",
};

static const struct sample RU = {
	RBM_LANG_RU,
	"Исполнительный совет Программы Организации Объединенных Наций по населенным пунктам",
	"Первая сессия 2022 года",
	"Найроби, 29–31 марта 2022 года",
	"Distr.: General\n10 February 2022\nRussian\nOriginal: English",
	"Пункт 10 предварительной повестки дня*",
	"* HSP/EB.2022/1.",
	"Осуществление резолюций и решений, принятых Ассамблеей ООН-Хабитат на ее первой сессии",
	"Стратегический план ООН-Хабитат на 2020–2023 годы: основные результаты 2021 года",
	"Записка секретариата",
	"Настоящий документ выпускается без официального редактирования.",
	"I. Введение",
	"II. Результаты по областям изменений",
	"Секретариат представляет основные результаты 2021 года, второго года плана, собранные "
	"в штаб-квартире, региональных и страновых отделениях в ходе ежегодного обследования.",
	"Обследование проводилось в январе и феврале 2022 года.",
	"Область изменений 1",
	": меры, принятые общинами в неформальных поселениях, обеспечили доступ к воде и санитарии "
	"примерно 2,9 млн человек в 45 странах.",
	"Пять флагманских программ связывают нормативную и оперативную работу:",
	"Города ЦУР",
	" поддержали местные действия в 2021 году;",
	" мобилизовала инвестиции в устойчивость к изменению климата.",
	"Таблица 1. Показатели области изменений 1",
	{"Показатель", "Исходный уровень", "Цель", "Результат"},
	{"Страны с проектами водоснабжения и санитарии", "Города с планами действий по климату"},
	"Достижение целевых показателей 2021 года",
	"Результат",
	"Источник: rbm, цикл 2021 года.",
	{"2,9 млн человек в 45 странах", "Область изменений 1", "Записка секретариата"},
	"a)",
	"Нет данных",
};

static const struct sample ES = {
	RBM_LANG_ES,
	"Junta Ejecutiva del Programa de las Naciones Unidas para los Asentamientos Humanos",
	"Primer período de sesiones de 2022",
	"Nairobi, 29 a 31 de marzo de 2022",
	"Distr. general\n10 de febrero de 2022\nEspañol\nOriginal: inglés",
	"Tema 10 del programa provisional*",
	"* HSP/EB.2022/1.",
	"Aplicación de las resoluciones y decisiones aprobadas por la Asamblea de ONU-Hábitat en su primer "
	"período de sesiones",
	"Plan Estratégico de ONU-Hábitat para 2020-2023: aspectos destacados de los resultados de 2021",
	"Nota de la Secretaría",
	"El presente documento se publica sin haber sido objeto de revisión editorial oficial.",
	"I. Introducción",
	"II. Resultados por esfera de cambio",
	"La Secretaría presenta los principales resultados de 2021, segundo año del plan, reunidos en la "
	"sede y en las oficinas regionales y nacionales mediante una encuesta anual.",
	"Encuesta realizada en enero y febrero de 2022.",
	"Esfera de cambio 1",
	": las respuestas comunitarias en los asentamientos informales dieron acceso al agua y al "
	"saneamiento a unos 2,9 millones de personas en 45 países.",
	"Cinco programas emblemáticos vinculan la labor normativa y la operacional:",
	"Ciudades ODS",
	" apoyó la acción local en 2021;",
	" movilizó inversiones para la resiliencia climática.",
	"Cuadro 1. Indicadores de la esfera de cambio 1",
	{"Indicador", "Base de referencia", "Meta", "Resultado"},
	{"Países con proyectos de agua y saneamiento", "Ciudades con planes de acción climática"},
	"Logro de las metas de 2021",
	"Logro",
	"Fuente: rbm, ciclo de 2021.",
	{"2,9 millones de personas en 45 países", "Esfera de cambio 1", "Nota de la Secretaría"},
	"a)",
	"Sin datos",
};

static const struct sample AR = {
	RBM_LANG_AR,
	"المجلس التنفيذي لبرنامج الأمم المتحدة للمستوطنات البشرية",
	"الدورة الأولى لعام 2022",
	"نيروبي، 29-31 آذار/مارس 2022",
	"Distr.: General\n10 February 2022\nArabic\nOriginal: English",
	"البند 10 من جدول الأعمال المؤقت*",
	"* HSP/EB.2022/1.",
	"تنفيذ القرارات والمقررات التي اعتمدتها جمعية موئل الأمم المتحدة في دورتها الأولى",
	"الخطة الاستراتيجية لموئل الأمم المتحدة للفترة 2020-2023: أبرز نتائج عام 2021",
	"مذكرة من الأمانة",
	"تصدر هذه الوثيقة دون تحرير رسمي.",
	"أولا - مقدمة",
	"ثانيا - النتائج حسب مجال التغيير",
	"تعرض الأمانة أهم نتائج عام 2021، وهو العام الثاني من الخطة، وقد جُمعت من المقر ومن المكاتب "
	"الإقليمية والقطرية عن طريق استقصاء سنوي.",
	"أُجري الاستقصاء في كانون الثاني/يناير وشباط/فبراير 2022.",
	"مجال التغيير 1",
	": أتاحت الاستجابات المجتمعية في المستوطنات غير الرسمية الحصول على المياه والصرف الصحي لنحو "
	"2.9 مليون شخص في 45 بلدا.",
	"تربط خمسة برامج رئيسية بين العمل المعياري والعمل التشغيلي:",
	"مدن أهداف التنمية المستدامة",
	" دعمت العمل المحلي في عام 2021؛",
	" حشد الاستثمارات من أجل القدرة على مواجهة تغير المناخ.",
	"الجدول 1 - مؤشرات مجال التغيير 1",
	{"المؤشر", "خط الأساس", "الهدف", "النتيجة"},
	{"البلدان التي لديها مشاريع للمياه والصرف الصحي", "المدن التي لديها خطط للعمل المناخي"},
	"تحقيق أهداف عام 2021",
	"الإنجاز",
	"المصدر: rbm، دورة 2021.",
	{"2.9", "مليون", "بلدا"},
	"(أ)",
	"توجد بيانات", /* "لا توجد بيانات", less the lam-alef */
};

/* A table and a chart live as long as the test: static storage. */
static const bool RIGHT4[4] = {false, true, true, true};
static const double CHART_VALUES[4] = {116, 80, 40, NAN};
static const char *const CHART_STATUS[4] = {"achieved", "on track", "behind", "no data"};

struct owned {
	const char *cells[12];
	struct rbm_table table;
	const char *labels[4];
	char label_buf[4][64];
	struct rbm_chart chart;
};

static void add_runs(struct rbm_doc *doc, struct rbm_block *b, const char *bold, const char *text)
{
	if (bold)
		rbm_doc_run(doc, b, bold, true);
	if (text)
		rbm_doc_run(doc, b, text, false);
}

/* The sample note: header block, 2 headings, 3 numbered paragraphs, 2 items, a table, a chart. */
static struct rbm_doc *build(const struct sample *s, struct owned *o)
{
	struct rbm_doc *doc = rbm_doc_new(s->lang);
	struct rbm_doc_meta *m = &doc->meta;
	m->body = rbm_doc_str(doc, s->body);
	m->session = rbm_doc_str(doc, s->session);
	m->place_dates = rbm_doc_str(doc, s->place_dates);
	m->symbol = rbm_doc_str(doc, "HSP/EB.2022/6");
	m->date = rbm_doc_str(doc, s->date);
	m->agenda = rbm_doc_str(doc, s->agenda);
	m->agenda_note = rbm_doc_str(doc, s->agenda_note);
	m->agenda_title = rbm_doc_str(doc, s->agenda_title);
	m->title = rbm_doc_str(doc, s->title);
	m->kind = rbm_doc_str(doc, s->kind);
	m->unedited = rbm_doc_str(doc, s->unedited);

	struct rbm_block *b = rbm_doc_add(doc, RBM_BLOCK_HEADING);
	b->level = 1;
	rbm_doc_run(doc, b, s->h1, false);
	b = rbm_doc_add(doc, RBM_BLOCK_PARAGRAPH);
	b->number = 1;
	rbm_doc_run(doc, b, s->p1, false);
	b->runs[0].footnote = rbm_doc_footnote(doc, s->fn1);
	b = rbm_doc_add(doc, RBM_BLOCK_HEADING);
	b->level = 2;
	rbm_doc_run(doc, b, s->h2, false);
	b = rbm_doc_add(doc, RBM_BLOCK_PARAGRAPH);
	b->number = 2;
	add_runs(doc, b, s->domain, s->p2);
	b = rbm_doc_add(doc, RBM_BLOCK_PARAGRAPH);
	b->number = 3;
	rbm_doc_run(doc, b, s->p3, false);
	b = rbm_doc_add(doc, RBM_BLOCK_ITEM);
	b->letter = 'a';
	add_runs(doc, b, s->flagship_a, s->item_a);
	b = rbm_doc_add(doc, RBM_BLOCK_ITEM);
	b->letter = 'b';
	add_runs(doc, b, "RISE UP", s->item_b);

	const char *cells[12] = {s->head[0], s->head[1], s->head[2], s->head[3], s->row[0], "30", "40", "45",
				 s->row[1], "12", "30", "34"};
	memcpy(o->cells, cells, sizeof cells);
	o->table = (struct rbm_table){4, 3, o->cells, NULL, RIGHT4, s->caption};
	b = rbm_doc_add(doc, RBM_BLOCK_TABLE);
	b->table = &o->table;

	for (int i = 0; i < 4; i++) {
		snprintf(o->label_buf[i], sizeof o->label_buf[i], "%s 1.%d", s->chart_label, i + 1);
		o->labels[i] = o->label_buf[i];
	}
	o->chart = (struct rbm_chart){s->chart_title, 4,   o->labels, CHART_VALUES, (const char **)CHART_STATUS,
				      150,	       s->chart_caption};
	b = rbm_doc_add(doc, RBM_BLOCK_CHART);
	b->chart = &o->chart;
	return doc;
}

static const char *pdf_path(const char *name)
{
	static char path[600];
	const char *dir = getenv("RBM_TEST_PDF_DIR");
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : test_tmpdir(), name);
	return path;
}

/* The output of a command (free() it), or NULL. */
static char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	if (p == NULL)
		return NULL;
	size_t len = 0, cap = 4096;
	char *out = malloc(cap);
	size_t n;
	while (out && (n = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 1024)
			out = realloc(out, cap *= 2);
	}
	if (out)
		out[len] = '\0';
	if (pclose(p) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* pdftotext -layout of pages first..last (0: all). */
static char *pdf_text(const char *pdf, int first, int last)
{
	char cmd[800];
	if (first > 0)
		snprintf(cmd, sizeof cmd, "pdftotext -layout -f %d -l %d '%s' -", first, last, pdf);
	else
		snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' -", pdf);
	return run(cmd);
}

/* pdftotext in reading order: the header block's two columns one after the other. */
static char *pdf_plain(const char *pdf)
{
	char cmd[800];
	snprintf(cmd, sizeof cmd, "pdftotext '%s' -", pdf);
	return run(cmd);
}

/*
 * Every run of white space as one space, so that phrases survive line breaks
 * and justification; with none, white space goes (Chinese breaks lines
 * between any two characters).
 */
static char *squash(const char *s, bool none)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	bool space = false;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = true;
			continue;
		}
		if (space && o > out && !none)
			*o++ = ' ';
		space = false;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* True when some line of text begins (after spaces) with word followed by a space. */
static bool line_starts(const char *text, const char *word)
{
	size_t n = strlen(word);
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *p = line;
		while (*p == ' ')
			p++;
		if (strncmp(p, word, n) == 0 && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return true;
	}
	return false;
}

static int page_count(const char *pdf)
{
	char cmd[700];
	snprintf(cmd, sizeof cmd, "pdfinfo '%s'", pdf);
	char *info = run(cmd);
	const char *p = info ? strstr(info, "Pages:") : NULL;
	int n = p ? (int)strtol(p + 6, NULL, 10) : -1;
	free(info);
	return n;
}

/* Drops the bidi controls (U+200E, U+200F, U+202A-U+202E) pdftotext wraps around Arabic. */
static void strip_bidi(char *s)
{
	char *o = s;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (p[0] == 0xE2 && p[1] == 0x80 && ((p[2] >= 0xAA && p[2] <= 0xAE) || p[2] == 0x8E || p[2] == 0x8F)) {
			p += 3;
			continue;
		}
		*o++ = (char)*p++;
	}
	*o = '\0';
}

/* The last non-blank line of a page, trimmed. */
static void last_line(char *text, char *out, size_t cap)
{
	strip_bidi(text);
	const char *end = text + strlen(text);
	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	const char *start = end;
	while (start > text && start[-1] != '\n')
		start--;
	while (start < end && *start == ' ')
		start++;
	snprintf(out, cap, "%.*s", (int)(end - start), start);
}

/* Renders s to name; returns the PDF's path (static) or NULL after a failed check. */
static const char *render(const struct sample *s, const char *name)
{
	struct owned o;
	struct rbm_doc *doc = build(s, &o);
	struct rbm_diag d;
	rbm_diag_init(&d);
	const char *path = pdf_path(name);
	enum rbm_rc rc = rbm_publish_pdf(doc, path, &d);
	rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	rbm_doc_free(doc);
	return rc == RBM_OK ? path : NULL;
}

/* What every language's note must show. */
static void check_note(const struct sample *s, const char *name)
{
	const char *pdf = render(s, name);
	CHECK(pdf != NULL);
	char *raw = pdf_text(pdf, 0, 0), *plain = pdf_plain(pdf);
	CHECK(raw != NULL && plain != NULL);
	bool zh = s->lang == RBM_LANG_ZH;
	char *text = squash(plain, zh);
	free(plain);
	CHECK_HAS(text, "HSP/EB.2022/6");
	CHECK_HAS(text, "HSP/EB.2022/1");
	CHECK_HAS(text, "Distr");
	const char *must[] = {s->figures[0], s->figures[1], s->figures[2], "34", s->no_data};
	for (size_t i = 0; i < sizeof must / sizeof *must; i++) {
		char *want = squash(must[i], zh);
		CHECK_HAS(text, want);
		free(want);
	}
	/*
	 * Whole phrases, except in Arabic: poppler puts the letters of a lam-alef
	 * ligature ("الأ", "لى") in reverse, so arabic_note checks words without one.
	 */
	if (s->lang != RBM_LANG_AR) {
		const char *phrases[] = {s->body, s->session, s->place_dates, s->agenda_title, s->title,
					 s->kind, s->unedited, s->fn1, s->head[1]};
		for (size_t i = 0; i < sizeof phrases / sizeof *phrases; i++) {
			char *want = squash(phrases[i], zh);
			CHECK_HAS(text, want);
			free(want);
		}
		CHECK(line_starts(raw, "1."));
		CHECK(line_starts(raw, "2."));
		CHECK(line_starts(raw, "3."));
		CHECK(line_starts(raw, s->item_mark));
		CHECK(line_starts(raw, "(b)") || line_starts(raw, "b)"));
	}
	free(text);
	free(raw);
	/* Each page ends with its number. */
	int pages = page_count(pdf);
	CHECK(pages >= 1);
	for (int p = 1; p <= pages; p++) {
		char *page = pdf_text(pdf, p, p), last[64], want[16];
		CHECK(page != NULL);
		last_line(page, last, sizeof last);
		free(page);
		snprintf(want, sizeof want, "%d", p);
		CHECK_STR(last, want);
	}
}

static void english_note(void)
{
	check_note(&EN, "en.pdf");
	if (test_failed())
		return;
	/* The percentages at the bars' ends, and the legend. */
	char *text = pdf_text(pdf_path("en.pdf"), 0, 0);
	CHECK_HAS(text, "116%");
	CHECK_HAS(text, "80%");
	CHECK_HAS(text, "Achieved");
	CHECK_HAS(text, "Behind");
	free(text);
}

static void chinese_note(void)
{
	check_note(&ZH, "zh.pdf");
}

static void french_note(void)
{
	check_note(&FR, "fr.pdf");
}

static void russian_note(void)
{
	check_note(&RU, "ru.pdf");
}

static void spanish_note(void)
{
	check_note(&ES, "es.pdf");
}

/* A word's box from pdftotext -bbox. */
struct word {
	double x0, y0, x1;
	char text[128];
};

/* Every word on page 1 (free() it); *n their count. */
static struct word *words(const char *pdf, size_t *n)
{
	char cmd[700];
	snprintf(cmd, sizeof cmd, "pdftotext -bbox -f 1 -l 1 '%s' -", pdf);
	char *html = run(cmd);
	*n = 0;
	if (html == NULL)
		return NULL;
	size_t cap = 64;
	struct word *w = malloc(cap * sizeof *w);
	for (const char *p = strstr(html, "<word "); p; p = strstr(p + 1, "<word ")) {
		struct word x = {0};
		const char *a = strstr(p, "xMin=\""), *b = strstr(p, "yMin=\""), *c = strstr(p, "xMax=\"");
		const char *t = strchr(p, '>'), *e = t ? strstr(t, "</word>") : NULL;
		if (!a || !b || !c || !e)
			break;
		x.x0 = strtod(a + 6, NULL);
		x.y0 = strtod(b + 6, NULL);
		x.x1 = strtod(c + 6, NULL);
		snprintf(x.text, sizeof x.text, "%.*s", (int)(e - t - 1), t + 1);
		if (*n == cap)
			w = realloc(w, (cap *= 2) * sizeof *w);
		w[(*n)++] = x;
	}
	free(html);
	return w;
}

static const struct word *find_word(const struct word *w, size_t n, const char *text, double min_x)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(w[i].text, text) == 0 && w[i].x0 >= min_x)
			return &w[i];
	return NULL;
}

static void arabic_note(void)
{
	check_note(&AR, "ar.pdf");
	if (test_failed())
		return;
	const char *pdf = pdf_path("ar.pdf");
	char *text = pdf_text(pdf, 0, 0);
	const char *arabic[] = {"مذكرة من", "نيروبي", "مجال التغيير", "المتحدة", "التشغيلي", "المؤشر", "المصدر",
				"HSP/EB.2022/6", "10 February 2022", "HSP/EB.2022/1.", "(أ)"};
	for (size_t i = 0; i < sizeof arabic / sizeof *arabic; i++)
		CHECK_HAS(text, arabic[i]);
	free(text);
	size_t n;
	struct word *w = words(pdf, &n);
	CHECK(w != NULL);
	/* pdftotext reads the mark "1 -" as the word "-1"; Arabic words come glyph by glyph. */
	const struct word *one = find_word(w, n, "-1", 480), *two = find_word(w, n, "-2", 480);
	const struct word *three = find_word(w, n, "-3", 480);
	const struct word *sym = find_word(w, n, "HSP/EB.2022/6", 0);
	bool body_right = false;
	for (size_t i = 0; i < n; i++)
		body_right = body_right || (w[i].y0 < 60 && w[i].x1 > 520);
	bool ok = one && two && three && sym && one->x1 <= 525 && body_right && sym->x0 < 200;
	if (!ok)
		printf("# -1 at %.0f, -2 at %.0f, -3 at %.0f, symbol at %.0f, body at the right: %d\n",
		       one ? one->x0 : -1, two ? two->x0 : -1, three ? three->x0 : -1, sym ? sym->x0 : -1,
		       body_right);
	free(w);
	/* The numbers hang in the right margin column (the text ends at 595.28 - 70.87 - 36), the
	 * header block is mirrored: the body's name at the right, the symbol at the left. */
	CHECK(ok);
}

/* The English numbers hang at the left margin, the text at the indent. */
static void numbers_hang_left(void)
{
	const char *pdf = render(&EN, "en-bbox.pdf");
	CHECK(pdf != NULL);
	size_t n;
	struct word *w = words(pdf, &n);
	CHECK(w != NULL);
	const struct word *one = find_word(w, n, "1.", 0), *sym = find_word(w, n, "HSP/EB.2022/6", 0);
	const struct word *item = find_word(w, n, "(a)", 0);
	bool ok = one && sym && item && one->x0 < 75 && sym->x0 > 300 && item->x0 > 100 && item->x0 < 110;
	if (!ok)
		printf("# 1. at %.1f, symbol at %.1f, (a) at %.1f\n", one ? one->x0 : -1, sym ? sym->x0 : -1,
		       item ? item->x0 : -1);
	free(w);
	CHECK(ok);
}

static void fonts_are_embedded(void)
{
	const struct sample *all[] = {&EN, &ZH, &AR};
	for (size_t i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof name, "fonts-%zu.pdf", i);
		const char *pdf = render(all[i], name);
		CHECK(pdf != NULL);
		char cmd[700];
		snprintf(cmd, sizeof cmd, "pdffonts '%s'", pdf);
		char *out = run(cmd);
		CHECK(out != NULL);
		/* Past the two header lines, every font says "yes" in the emb column. */
		const char *line = strchr(out, '\n');
		line = line ? strchr(line + 1, '\n') : NULL;
		int fonts = 0, embedded = 0;
		for (; line && line[1]; line = strchr(line + 1, '\n')) {
			fonts++;
			/* name type encoding emb sub uni object ID: emb is the fifth word from the end. */
			char l[512], *word[64];
			const char *e = strchr(line + 1, '\n');
			snprintf(l, sizeof l, "%.*s", (int)(e ? e - line - 1 : (long)strlen(line + 1)), line + 1);
			int n = 0;
			for (char *p = l; *p && n < 64;) {
				while (*p == ' ')
					*p++ = '\0';
				if (*p)
					word[n++] = p;
				while (*p && *p != ' ')
					p++;
			}
			if (n >= 5 && strcmp(word[n - 5], "yes") == 0)
				embedded++;
		}
		if (fonts == 0 || fonts != embedded)
			printf("# %s", out);
		bool want_cjk = all[i] == &ZH, want_ar = all[i] == &AR;
		bool cjk = strstr(out, "NotoSerifCJK") != NULL, ar = strstr(out, "NotoSansArabic") != NULL;
		free(out);
		CHECK(fonts > 0);
		CHECK_INT(embedded, fonts);
		CHECK(!want_cjk || cjk);
		CHECK(!want_ar || ar);
	}
}

/* 60 paragraphs (every fifth with a footnote) and an 80-row table. */
static void long_report(void)
{
	struct rbm_doc *doc = rbm_doc_new(RBM_LANG_EN);
	doc->meta.symbol = rbm_doc_str(doc, "HSP/EB.2022/6");
	doc->meta.title = rbm_doc_str(doc, "A long report");
	char text[1200];
	for (int i = 1; i <= 60; i++) {
		if (i % 20 == 1) {
			struct rbm_block *h = rbm_doc_add(doc, RBM_BLOCK_HEADING);
			h->level = 1;
			snprintf(text, sizeof text, "Part %d", i / 20 + 1);
			rbm_doc_run(doc, h, text, false);
		}
		struct rbm_block *b = rbm_doc_add(doc, RBM_BLOCK_PARAGRAPH);
		b->number = i;
		int len = snprintf(text, sizeof text, "Paragraph %d opens here.", i);
		for (int k = 0; k < 9; k++)
			len += snprintf(text + len, sizeof text - (size_t)len,
					" Offices reported results on housing, water, climate action and urban"
					" crises for the year.");
		rbm_doc_run(doc, b, text, false);
		if (i % 5 == 0) {
			char note[64];
			snprintf(note, sizeof note, "Footnote for paragraph %d.", i);
			b->runs[0].footnote = rbm_doc_footnote(doc, note);
		}
	}
	enum { ROWS = 81, COLS = 3 };
	static const char *cells[ROWS * COLS];
	static char buf[ROWS][2][96];
	static const bool right[COLS] = {false, true, true};
	cells[0] = "Country";
	cells[1] = "People reached";
	cells[2] = "Projects";
	for (int r = 1; r < ROWS; r++) {
		snprintf(buf[r][0], sizeof buf[r][0],
			 r == 40 ? "Country %d starts a long name that wraps over lines and ends here" : "Country %d",
			 r);
		snprintf(buf[r][1], sizeof buf[r][1], "%d", r * 1000);
		cells[r * COLS] = buf[r][0];
		cells[r * COLS + 1] = buf[r][1];
		cells[r * COLS + 2] = "7";
	}
	struct rbm_table t = {COLS, ROWS, cells, NULL, right, "Table 2. People reached by country"};
	rbm_doc_add(doc, RBM_BLOCK_TABLE)->table = &t;

	struct rbm_diag d;
	rbm_diag_init(&d);
	const char *pdf = pdf_path("long.pdf");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enum rbm_rc rc = rbm_publish_pdf(doc, pdf, &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	rbm_doc_free(doc);
	CHECK_INT(rc, RBM_OK);
	int pages = page_count(pdf);
	printf("# %d pages in %.2f s\n", pages,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	CHECK(pages >= 6);
	int heads = 0, note_page = 0, para_page = 0, start_page = 0, end_page = 0;
	for (int p = 1; p <= pages; p++) {
		char *raw = pdf_text(pdf, p, p);
		CHECK(raw != NULL);
		char last[64], want[16];
		last_line(raw, last, sizeof last);
		snprintf(want, sizeof want, "%d", p);
		if (strcmp(last, want) != 0)
			printf("# page %d ends with \"%s\"\n", p, last);
		bool ok = strcmp(last, want) == 0;
		/* From page 2 the running header carries the symbol. */
		ok = ok && (p == 1 || strstr(raw, "HSP/EB.2022/6"));
		heads += strstr(raw, "People reached") != NULL;
		if (line_starts(raw, "45."))
			para_page = p;
		if (strstr(raw, "Footnote for paragraph 45."))
			note_page = p;
		if (strstr(raw, "Country 40 starts"))
			start_page = p;
		if (strstr(raw, "ends here"))
			end_page = p;
		free(raw);
		CHECK(ok);
	}
	/* The table's header repeats on every page it spans; rows do not split. */
	CHECK(heads >= 2);
	CHECK(para_page > 0);
	CHECK_INT(note_page, para_page);
	CHECK(start_page > 0);
	CHECK_INT(end_page, start_page);
	/* Well under a few seconds, even under the sanitizers. */
	CHECK((double)(t1.tv_sec - t0.tv_sec) < 20);
}

static void unwritable_path(void)
{
	struct owned o;
	struct rbm_doc *doc = build(&EN, &o);
	struct rbm_diag d;
	rbm_diag_init(&d);
	CHECK_INT(rbm_publish_pdf(doc, "/nonexistent-rbm-dir/note.pdf", &d), RBM_EIO);
	CHECK_INT(rbm_diag_count(&d), 1);
	CHECK_STR(d.entries[0].file, "/nonexistent-rbm-dir/note.pdf");
	CHECK_STR(d.entries[0].reason, "cannot create: No such file or directory");
	rbm_diag_free(&d);
	rbm_diag_init(&d);
	CHECK_INT(rbm_publish_pdf(doc, test_tmpdir(), &d), RBM_EIO);
	CHECK_STR(d.entries[0].reason, "cannot create: Is a directory");
	rbm_diag_free(&d);
	/* A full disk: the write fails when cairo writes the PDF out, and the device stays. */
	if (access("/dev/full", W_OK) == 0) {
		rbm_diag_init(&d);
		CHECK_INT(rbm_publish_pdf(doc, "/dev/full", &d), RBM_EIO);
		CHECK_STR(d.entries[0].reason, "cannot write: No space left on device");
		CHECK(access("/dev/full", F_OK) == 0);
		rbm_diag_free(&d);
	}
	rbm_doc_free(doc);
}

static void broken_utf8(void)
{
	struct rbm_doc *doc = rbm_doc_new(RBM_LANG_EN);
	struct rbm_block *b = rbm_doc_add(doc, RBM_BLOCK_PARAGRAPH);
	b->number = 1;
	rbm_doc_run(doc, b, "bad \xC3( byte", false);
	struct rbm_diag d;
	rbm_diag_init(&d);
	const char *pdf = pdf_path("bad.pdf");
	CHECK_INT(rbm_publish_pdf(doc, pdf, &d), RBM_EINVAL);
	CHECK_STR(d.entries[0].reason, "block 1: text is not valid UTF-8");
	CHECK(access(pdf, F_OK) != 0);
	rbm_diag_free(&d);
	rbm_doc_free(doc);
}

/* A bare document: no header fields, no blocks; still one numbered page. */
static void empty_document(void)
{
	struct rbm_doc *doc = rbm_doc_new(RBM_LANG_FR);
	struct rbm_diag d;
	rbm_diag_init(&d);
	const char *pdf = pdf_path("empty.pdf");
	CHECK_INT(rbm_publish_pdf(doc, pdf, &d), RBM_OK);
	rbm_diag_free(&d);
	rbm_doc_free(doc);
	CHECK_INT(page_count(pdf), 1);
	char *raw = pdf_text(pdf, 0, 0);
	char last[16];
	last_line(raw, last, sizeof last);
	free(raw);
	CHECK_STR(last, "1");
}

/*
 * Run in a child whose fontconfig sees no fonts (RBM_TEST_NO_FONTS set by
 * missing_fonts); otherwise it does nothing.
 */
static void missing_fonts_child(void)
{
	if (getenv("RBM_TEST_NO_FONTS") == NULL)
		return;
	struct owned o;
	struct rbm_doc *doc = build(&ZH, &o);
	struct rbm_diag d;
	rbm_diag_init(&d);
	const char *pdf = pdf_path("nofonts.pdf");
	CHECK_INT(rbm_publish_pdf(doc, pdf, &d), RBM_EIO);
	rbm_diag_print(&d, stdout, "");
	CHECK_INT(rbm_diag_count(&d), 4);
	CHECK_STR(d.entries[0].reason, "no font \"Noto Serif\": install the Debian package fonts-noto-core");
	CHECK_STR(d.entries[3].reason, "no font \"Noto Sans CJK SC\": install the Debian package fonts-noto-cjk");
	CHECK(access(pdf, F_OK) != 0);
	rbm_diag_free(&d);
	rbm_doc_free(doc);
}

static void missing_fonts(void)
{
	char self[512];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	CHECK(n > 0);
	self[n] = '\0';
	char conf[1200];
	snprintf(conf, sizeof conf, "<?xml version=\"1.0\"?>\n<fontconfig><dir>%s/no-fonts</dir>"
				    "<cachedir>%s/fc-cache</cachedir></fontconfig>\n",
		 test_tmpdir(), test_tmpdir());
	const char *path = test_write_file("empty-fonts.conf", conf, strlen(conf));
	char cmd[2000];
	snprintf(cmd, sizeof cmd, "RBM_TEST_NO_FONTS=1 FONTCONFIG_FILE='%s' '%s' missing_fonts_child 2>/dev/null; true",
		 path, self);
	char *out = run(cmd);
	if (out == NULL || strstr(out, "ok 1 - missing_fonts_child") == NULL)
		printf("# child said:\n%s", out ? out : "(failed)\n");
	CHECK(out != NULL);
	CHECK_HAS(out, "ok 1 - missing_fonts_child");
	CHECK_HAS(out, "no font \"Noto Serif CJK SC\": install the Debian package fonts-noto-cjk");
	free(out);
}

TEST_MAIN(T(english_note), T(chinese_note), T(french_note), T(russian_note), T(spanish_note),
	  T(arabic_note), T(numbers_hang_left), T(fonts_are_embedded), T(long_report), T(unwritable_path),
	  T(broken_utf8), T(empty_document), T(missing_fonts_child), T(missing_fonts))

/*
 * Two leaks inside the libraries, not in rbm (valgrind shows their whole
 * stacks): fontconfig 2.14.1 loses 256 bytes parsing the <rejectfont> of
 * Debian's 70-no-bitmaps.conf, once per process; cairo 1.16's CFF subsetter
 * loses about 1 KB per CJK (CID-keyed) font when the PDF is finished.
 * LeakSanitizer's fast unwinder stops inside those libraries, so they are
 * named by module.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\nleak:libcairo.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
