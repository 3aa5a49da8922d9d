/*
 * form_labels.c - the survey's fixed wording in the six UN languages.
 *
 * The plan supplies the titles of results and indicators; these are the
 * words around them. Translations by the rbm project.
 */
#include "collect_int.h"

/* Order: ar, zh, en, fr, ru, es (enum rbm_lang). */
static const char *const labels[RBM_LABEL_COUNT][RBM_LANG_COUNT] = {
	[RBM_LABEL_TITLE] = {
		"استبيان النتائج لعام %d: %s",
		"%d 年成果调查：%s",
		"Results survey %d: %s",
		"Enquête sur les résultats %d : %s",
		"Опрос о результатах за %d год: %s",
		"Encuesta de resultados %d: %s",
	},
	[RBM_LABEL_NARRATIVE] = {
		"ما الذي حققه مكتبكم في إطار هذه النتيجة في عام %d؟",
		"贵办事处 %d 年在这一成果下取得了哪些成绩？",
		"What did your office achieve under this outcome in %d?",
		"Qu'a accompli votre bureau au titre de ce résultat en %d ?",
		"Чего достигло ваше отделение в рамках этого конечного результата в %d году?",
		"¿Qué logró su oficina en el marco de este resultado en %d?",
	},
	[RBM_LABEL_NARRATIVE_HINT] = {
		"اكتبوا بأي من لغات الأمم المتحدة الرسمية الست.",
		"可使用联合国六种正式语文中的任何一种填写。",
		"Write in any of the six UN languages.",
		"Rédigez dans l'une des six langues officielles de l'ONU.",
		"Пишите на любом из шести официальных языков ООН.",
		"Escriba en cualquiera de los seis idiomas oficiales de las Naciones Unidas.",
	},
	[RBM_LABEL_LANG] = {
		"بأي لغة كُتب السرد؟",
		"叙述使用的是哪种语文？",
		"In which language is the narrative written?",
		"Dans quelle langue le récit est-il rédigé ?",
		"На каком языке написано описание?",
		"¿En qué idioma está redactado el relato?",
	},
	[RBM_LABEL_COUNTRIES] = {
		"في أي البلدان تحققت هذه النتائج؟",
		"这些成果是在哪些国家取得的？",
		"In which countries did these results happen?",
		"Dans quels pays ces résultats ont-ils été obtenus ?",
		"В каких странах были достигнуты эти результаты?",
		"¿En qué países se obtuvieron estos resultados?",
	},
	[RBM_LABEL_CITIES] = {
		"في أي المدن؟",
		"在哪些城市？",
		"In which cities?",
		"Dans quelles villes ?",
		"В каких городах?",
		"¿En qué ciudades?",
	},
	[RBM_LABEL_PROGRAMMES] = {
		"في أي البرامج الرئيسية أسهمت هذه النتائج؟",
		"这些成果促进了哪些旗舰方案？",
		"Which flagship programmes did these results contribute to?",
		"À quels programmes phares ces résultats ont-ils contribué ?",
		"В реализацию каких флагманских программ внесли вклад эти результаты?",
		"¿A qué programas emblemáticos contribuyeron estos resultados?",
	},
	[RBM_LABEL_THEMES] = {
		"ما قضايا الإدماج الاجتماعي والمواضيع الشاملة التي تناولتها؟",
		"涉及哪些社会包容问题和跨领域主题？",
		"Which social inclusion issues and cross-cutting themes did they address?",
		"Quelles questions d'inclusion sociale et quels thèmes transversaux ont-ils abordés ?",
		"Какие вопросы социальной интеграции и сквозные темы они затрагивали?",
		"¿Qué cuestiones de inclusión social y temas transversales abordaron?",
	},
	[RBM_LABEL_CITIES_OF_HINT] = {
		"اختاروا كل مدينة معنية.",
		"请选择所有相关城市。",
		"Select every city that counts.",
		"Sélectionnez chaque ville concernée.",
		"Выберите все соответствующие города.",
		"Seleccione cada ciudad que corresponda.",
	},
	[RBM_LABEL_HINT_PEOPLE] = {
		"عدد الأشخاص (عدد صحيح، صفر أو أكثر)",
		"人数（整数，0 或以上）",
		"Number of people (whole number, 0 or more)",
		"Nombre de personnes (nombre entier, 0 ou plus)",
		"Число людей (целое число, 0 или больше)",
		"Número de personas (número entero, 0 o más)",
	},
	[RBM_LABEL_HINT_PERCENT] = {
		"نسبة مئوية، من 0 إلى 100",
		"百分比，0 至 100",
		"Percentage, 0 to 100",
		"Pourcentage, de 0 à 100",
		"Процент, от 0 до 100",
		"Porcentaje, de 0 a 100",
	},
	[RBM_LABEL_HINT_NUMBER] = {
		"عدد",
		"数字",
		"Number",
		"Nombre",
		"Число",
		"Número",
	},
	[RBM_LABEL_HINT_CURRENCY] = {
		"المبلغ بعملة %s",
		"金额（%s）",
		"Amount in %s",
		"Montant en %s",
		"Сумма в %s",
		"Importe en %s",
	},
	[RBM_LABEL_HINT_YESNO] = {
		"نعم أو لا",
		"是或否",
		"Yes or no",
		"Oui ou non",
		"Да или нет",
		"Sí o no",
	},
	[RBM_LABEL_MSG_PEOPLE] = {
		"أدخلوا عددا صحيحا يساوي صفرا أو أكثر.",
		"请输入 0 或以上的整数。",
		"Enter a whole number, 0 or more.",
		"Saisissez un nombre entier égal ou supérieur à 0.",
		"Введите целое число не меньше 0.",
		"Introduzca un número entero igual o mayor que 0.",
	},
	[RBM_LABEL_MSG_PERCENT] = {
		"أدخلوا نسبة مئوية بين 0 و100.",
		"请输入 0 至 100 之间的百分比。",
		"Enter a percentage from 0 to 100.",
		"Saisissez un pourcentage compris entre 0 et 100.",
		"Введите процент от 0 до 100.",
		"Introduzca un porcentaje entre 0 y 100.",
	},
	[RBM_LABEL_MSG_NONNEG] = {
		"أدخلوا عددا يساوي صفرا أو أكثر.",
		"请输入 0 或以上的数字。",
		"Enter a number, 0 or more.",
		"Saisissez un nombre égal ou supérieur à 0.",
		"Введите число не меньше 0.",
		"Introduzca un número igual o mayor que 0.",
	},
	[RBM_LABEL_YES] = {"نعم", "是", "Yes", "Oui", "Да", "Sí"},
	[RBM_LABEL_NO] = {"لا", "否", "No", "Non", "Нет", "No"},
};

const char *rbm_collect__label(enum rbm_label key, enum rbm_lang lang)
{
	return labels[key][lang];
}
