#!/usr/bin/env python3
"""Writes the rbm sample data for reporting cycle 2021 (Python standard library only).

    python3 data/samples/2021/generate.py          # from the repository root, or from anywhere

Everything here is illustrative: the figures and the narratives were made up and written by the
rbm project so that the samples are consistent with the published 2021 highlights (about 2.9 million
people in 45 countries under domain 1); they are not UN-Habitat's data and copy no official text.

The files it writes (next to this script) are the ones load.sh imports:
  submissions-hq-regional.json   rbm JSON: the 3 headquarters units and the 4 regional offices
  submissions-countries-a.json   rbm JSON: 34 country offices
  kobo-export-countries-b.csv    a KoBoToolbox-style CSV export: the other 33 country offices
  returns.tsv                    the submissions reviewers return, with their comments
  corrections.json               rbm JSON: the corrected versions (same uuids -> new revisions)
Run it again after editing the data below; the output is deterministic.
"""
import copy
import csv
import hashlib
import io
import json
import os
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
PLAN = os.path.join(HERE, "..", "..", "plans", "unhabitat-2020-2023.json")
CYCLE = 2021
NS = uuid.UUID("6f1c2a0e-8c1d-4a55-9a0b-2b7e3c1d2021")  # our namespace for the sample uuids

# ---------------------------------------------------------------------------------------------
# The data. One entry per office:
#   S(code, fmt, submitted_at, values, outcomes, dis={...})
# fmt: "hq" (submissions-hq-regional.json), "a" (submissions-countries-a.json), "b" (KoBo CSV)
# values: indicator -> number (the office's own country, or no country for HQ/regional values),
#         indicator -> [city codes] for count_units-of-city indicators (value 1 per city),
#         "indicator@ISO3" -> number for a value that belongs to a named country (HQ/regional).
# dis: how people values are split: "sa" sex and age (default where the plan has both), "s" sex
#      only, "" none, or {category: value} for explicit figures (the rest of the sex total goes
#      to "male"). Splits are computed so that each disaggregation adds up to the total.
# outcomes: N(outcome, lang, narrative, cities=[], fp=[], th=[], countries=None)
#      countries default to the office's own country.
# ---------------------------------------------------------------------------------------------

OFFICES = []


def S(code, fmt, when, values, outcomes, dis=None, split_cols=False):
    OFFICES.append(dict(code=code, fmt=fmt, when=when, values=values, outcomes=outcomes,
                        dis=dis or {}, split_cols=split_cols))


def N(outcome, lang, text, cities=(), fp=(), th=(), countries=None):
    return dict(outcome=outcome, lang=lang, narrative=text, cities=list(cities),
                programmes=list(fp), themes=list(th), countries=countries)


# ---- headquarters units -------------------------------------------------------------------
S("HQ-GSD", "hq", "2022-02-14T10:05:00Z",
  {"2.3.b": 214, "2.3.c": 1, "3.2.a": ["KEN-KIS", "UGA-GUL", "CMR-YAO", "BGD-KHL", "MOZ-APL"]},
  [N("2.3", "en", "The unit finalised the global guidance on people-centred smart cities, covering digital "
     "inclusion, data governance and privacy, and shared it with all offices as the reference for the "
     "flagship programme. Its online course on urban data for local government enrolled 214 officials "
     "from 31 countries.", fp=["FP2"], th=["human_rights"]),
   N("3.2", "en", "Waste Wise Cities Tool assessments were backstopped remotely in five secondary cities "
     "(Kisumu, Gulu, Yaoundé, Khulna and Nampula), giving each municipality its first baseline of how "
     "much waste is generated, collected and leaked into the environment.",
     cities=["KEN-KIS", "UGA-GUL", "CMR-YAO", "BGD-KHL", "MOZ-APL"],
     countries=["KEN", "UGA", "CMR", "BGD", "MOZ"], fp=["FP5"]),
   N("3.1", "ru", "Подготовлено методическое пособие по городской инвентаризации выбросов парниковых "
     "газов; по нему в 2021 году работали страновые отделения в Мексике, Вьетнаме и Бразилии.",
     countries=["MEX", "VNM", "BRA"])],
  dis={"2.3.b": {"female": 92}})

S("HQ-EXT", "hq", "2022-02-16T13:40:00Z",
  {"4.3.b": 136},
  [N("4.1", "en", "The illustrated guide to the New Urban Agenda and its short online courses are now "
     "available in all six UN languages; the Arabic edition was produced together with the UN regional "
     "commission for Western Asia and launched at a regional event in Beirut.", th=["human_rights"]),
   N("4.3", "zh", "与各区域办事处合作举办城市韧性在线短期课程，136名地方官员和从业人员完成全部课程并获得结业证书。",
     th=["resilience"]),
   N("2.3", "en", "A partnership agreement with a network of city governments committed to digital rights "
     "gave the people-centred smart cities programme a shared set of principles and a peer group for "
     "pilot cities.", fp=["FP2"], th=["human_rights"])],
  dis={"4.3.b": {"female": 61}})

GUMF_PILOTS = ["MEX-GDL", "MEX-MTY", "COL-BOG", "COL-MDE", "IDN-SUB", "KEN-KIS"]
S("HQ-RBM", "hq", "2022-02-18T08:30:00Z",
  {},  # 2.1.c left out: returned, added in corrections.json
  [N("2.1", "en", "Six municipalities in Mexico, Colombia, Indonesia and Kenya piloted the Global Urban "
     "Monitoring Framework and used its indicators to prepare local urban agendas and voluntary local "
     "reviews; the framework was put forward for endorsement by the UN Statistical Commission in March "
     "2022.", cities=GUMF_PILOTS, countries=["MEX", "COL", "IDN", "KEN"], fp=["FP5"]),
   N("2.3", "en", "An urban indicators database now gives supported cities comparable figures on public "
     "space, waste and housing; twelve country offices drew on it for their 2021 reporting.",
     fp=["FP5", "FP2"])])

# ---- regional offices ------------------------------------------------------------------------
S("ROAF", "hq", "2022-02-15T11:20:00Z",
  {"1.1.a@BDI": 19840, "1.1.a@NER": 23960, "1.1.b@BDI": 1, "1.1.b@NER": 1,
   "3.3.a@COM": 1, "3.3.b@COM": 1, "4.3.b": 95},
  [N("1.1", "en", "Where UN-Habitat has no country office, the regional office channelled small grants to "
     "community groups in Bujumbura and Niamey, who built handwashing points and repaired water kiosks in "
     "informal settlements; about 43,800 people benefited.", countries=["BDI", "NER"], fp=["FP1"],
     th=["human_rights", "gender"]),
   N("3.3", "fr", "À Moroni (Comores), l'équipe régionale a accompagné la municipalité dans une évaluation "
     "des risques climatiques puis dans l'élaboration d'un plan d'action de résilience selon l'approche "
     "CityRAP.", countries=["COM"], fp=["FP3"], th=["resilience"]),
   N("4.3", "en", "A regional training of trainers on urban resilience, held online and in Nairobi, "
     "prepared 95 municipal officials from 14 countries to run resilience planning in their own cities.",
     th=["resilience"])],
  dis={"4.3.b": {"female": 38}})

S("ROAP", "hq", "2022-02-11T03:45:00Z",
  {"1.1.a@KHM": 17870, "1.1.b@KHM": 1, "2.1.a@UZB": 1, "3.3.a@VUT": 1, "2.3.b": 88},
  [N("1.1", "en", "In Phnom Penh, community savings groups supported by the regional office built household "
     "latrines and shared water points in riverside settlements, reaching about 17,900 people.",
     countries=["KHM"], fp=["FP1"], th=["gender"]),
   N("2.1", "ru", "Региональное отделение оказало Узбекистану техническую помощь в подготовке национальной "
     "городской политики: проведена оценка урбанизации и консультации с хокимиятами пяти городов.",
     countries=["UZB"], fp=["FP5"]),
   N("2.3", "zh", "区域办事处与福冈市合作举办以人为本的智慧城市线上研修班，来自亚太地区12个国家的88名地方政府工作人员参加。",
     fp=["FP2"]),
   N("3.3", "en", "A climate vulnerability assessment of Port Vila, prepared with the municipal council, "
     "identified the flood-prone informal areas to put first in the RISE UP investment pipeline.",
     countries=["VUT"], fp=["FP3"], th=["resilience"])],
  dis={"2.3.b": {"female": 41}})

S("ROLAC", "hq", "2022-02-09T14:10:00Z",
  {"1.1.a@DOM": 10920, "1.1.b@DOM": 1, "4.2.a@CHL": 5200, "2.3.b": 64},
  [N("1.1", "es", "En Santo Domingo, juntas de vecinos de barrios ribereños gestionaron, con apoyo de la "
     "oficina regional, puntos de agua y de lavado de manos y campañas de higiene que llegaron a unas "
     "10.900 personas.", countries=["DOM"], fp=["FP1"], th=["human_rights"]),
   N("2.3", "es", "La oficina regional impartió un curso virtual sobre datos urbanos e innovación digital "
     "para 64 funcionarios municipales de nueve países de la región.", fp=["FP2"])],
  # outcome 4.2 has no narrative here: returned, added in corrections.json
  dis={"2.3.b": {"female": 35}})

S("ROAS", "hq", "2022-02-13T09:00:00Z",
  {"2.1.a@BHR": 1, "2.3.b": 120},
  [N("2.1", "ar", "قدّم المكتب الإقليمي الدعم الفني لمملكة البحرين في مراجعة إطار السياسة الحضرية الوطنية، "
     "بما في ذلك ورش عمل تشاورية مع الوزارات والبلديات.", countries=["BHR"], fp=["FP5"]),
   N("2.3", "ar", "نظّم المكتب دورة إقليمية عن البيانات الحضرية والتحول الرقمي شارك فيها 120 موظفاً من "
     "البلديات في ثماني دول عربية.", fp=["FP2"]),
   N("4.1", "ar", "أُطلقت النسخة العربية من الدليل المصوّر للخطة الحضرية الجديدة ودوراته القصيرة عبر الإنترنت "
     "بالتعاون مع الإسكوا، واستُخدمت في تدريب موظفي البلديات في المنطقة.", th=["human_rights"])],
  dis={"2.3.b": {"female": 47}})

# ---- country offices: Africa (ROAF) ---------------------------------------------------------------
S("KEN", "a", "2022-02-10T09:14:00Z",
  {"1.1.a": 168420, "1.1.b": 1, "1.1.c": ["KEN-NBO", "KEN-KIS"], "1.2.a": 12650,
   "2.2.a": ["KEN-KIS"], "2.2.b": 18500000, "3.2.a": ["KEN-NBO", "KEN-MBA"], "3.2.b": 38.5,
   "4.2.a": 21300},
  [N("1.1", "en", "Water committees in Kibera, Mathare and two Mombasa settlements ran handwashing stations "
     "and rehabilitated water points through the pandemic, and youth groups were paid to disinfect markets "
     "and matatu stages; about 168,400 people gained better access to water and sanitation. Walking and "
     "cycling plans were prepared with the Nairobi and Kisumu county governments.",
     cities=["KEN-NBO", "KEN-MBA", "KEN-KIS"], fp=["FP1"], th=["gender", "children_youth_older"]),
   N("1.2", "en", "Residents of six informal settlements mapped their plots through community-led "
     "enumeration, and 12,650 people received tenure documents recognised by the county.",
     cities=["KEN-NBO"], fp=["FP1"], th=["human_rights", "gender"]),
   N("2.2", "en", "Kisumu digitised its rates register and billing with UN-Habitat support; own-source "
     "revenue in the supported counties reached USD 18.5 million.", cities=["KEN-KIS"], fp=["FP5"]),
   N("3.2", "en", "Nairobi and Mombasa completed Waste Wise Cities assessments, which showed that about 38% of "
     "municipal solid waste reaches controlled facilities and fed into the counties' new waste bills.",
     cities=["KEN-NBO", "KEN-MBA"], fp=["FP5"]),
   N("4.2", "en", "In Kalobeyei, Turkana County, refugees and host families gained shared water, shelter and "
     "market infrastructure under the integrated settlement plan, improving living conditions for 21,300 "
     "people.", fp=["FP4"], th=["human_rights"])],
  dis={"1.2.a": "s"})

S("ETH", "b", "2022-02-07T12:30:00Z",
  {"1.1.a": 117350, "1.1.b": 1, "1.1.c": ["ETH-ADD"], "2.1.a": 1, "2.1.b": ["ETH-DIR"],
   "3.3.b": 1, "4.2.a": 14800},
  [N("1.1", "en", "Communal toilets and water points were rehabilitated and run by residents in 14 informal and "
     "condominium neighbourhoods of Addis Ababa, reaching about 117,400 people; the city's non-motorised "
     "transport strategy was updated with new walking and cycling corridors.", cities=["ETH-ADD"],
     fp=["FP1"], th=["gender"]),
   N("2.1", "en", "The national urban policy was revised with the federal ministry responsible for urban "
     "development, and Dire Dawa adopted a structure plan prepared with UN-Habitat.", cities=["ETH-DIR"],
     fp=["FP5"]),
   N("3.3", "en", "Dire Dawa completed a CityRAP resilience action plan focused on the flash floods of the "
     "seasonal rivers that cross the city.", cities=["ETH-DIR"], fp=["FP3"], th=["resilience"]),
   N("4.2", "en", "In Dire Dawa, internally displaced families and their hosts gained upgraded water, shelter "
     "and livelihood support through an area-based project that reached 14,800 people.",
     cities=["ETH-DIR"], fp=["FP4"], th=["human_rights"])])

S("SOM", "a", "2022-02-03T08:05:00Z",
  {"1.1.a": 124900, "1.1.b": 1, "1.2.a": 9400, "2.2.a": ["SOM-MGQ", "SOM-HGA"], "2.2.b": 4200000,
   "4.2.a": 38600, "4.2.b": ["SOM-BAI", "SOM-MGQ"], "4.2.c": 1, "4.3.a": ["SOM-HGA"]},
  [N("1.1", "en", "Displacement-affected communities in Mogadishu, Baidoa and Hargeisa managed water "
     "vouchers, latrine repairs and hygiene promotion with UN-Habitat grants, reaching about 124,900 "
     "people.", cities=["SOM-MGQ", "SOM-BAI", "SOM-HGA"], fp=["FP1"], th=["human_rights", "gender"]),
   N("1.2", "en", "9,400 displaced people received title deeds or lease certificates for plots in the Baidoa "
     "relocation site.", cities=["SOM-BAI"], fp=["FP4"], th=["human_rights"]),
   N("2.2", "en", "Property registration in Mogadishu and Hargeisa added about 21,000 properties to the "
     "municipal rolls, and the two cities collected USD 4.2 million in own-source revenue.",
     cities=["SOM-MGQ", "SOM-HGA"], fp=["FP5"]),
   N("4.2", "en", "Durable-solutions work in Baidoa and Mogadishu improved living conditions for 38,600 "
     "displaced people, and an urban profile of Baidoa mapped more than 400 IDP sites to guide where the "
     "municipality extends services.", cities=["SOM-BAI", "SOM-MGQ"], fp=["FP4"], th=["human_rights"]),
   N("4.3", "en", "Hargeisa adopted a resilience action plan that pairs drainage works with a flood "
     "early-warning system run by neighbourhood committees.", cities=["SOM-HGA"], fp=["FP3"],
     th=["resilience"])],
  dis={"1.2.a": "s"})

S("SSD", "b", "2022-02-14T07:50:00Z",
  {"1.1.a": 55240, "1.1.b": 1, "3.3.b": 1, "4.2.a": 24900, "4.2.b": ["SSD-WUU"],
   "4.3.a": ["SSD-WUU"], "4.3.c": 122},
  [N("1.1", "en", "In Juba and Wau, women's groups ran soap-making and handwashing points and rehabilitated "
     "boreholes in crowded settlements, reaching about 55,200 people.", cities=["SSD-JUB", "SSD-WUU"],
     fp=["FP1"], th=["gender"]),
   N("4.2", "en", "Returnees and displaced families in Wau received surveyed plots and shelter support under a "
     "joint programme with the state authorities, improving living conditions for 24,900 people.",
     cities=["SSD-WUU"], fp=["FP4"], th=["human_rights"]),
   N("3.3", "en", "Wau prepared a CityRAP resilience action plan that maps the flood-prone areas along the "
     "river.", cities=["SSD-WUU"], fp=["FP3"], th=["resilience"]),
   N("4.3", "en", "120 flood-resistant shelters on raised plinths and two school blocks were built in Wau, "
     "following the city's new resilience action plan.", cities=["SSD-WUU"], th=["resilience"])],
  dis={"1.1.a": "s"})

S("UGA", "a", "2022-02-08T10:22:00Z",
  {"1.1.a": 86780, "1.1.b": 1, "1.2.a": 7800, "2.1.b": ["UGA-GUL"], "4.1.a": ["UGA-GUL"],
   "4.1.b": 1250, "4.1.c": 48, "4.2.a": 17600},
  [N("1.1", "en", "Youth groups in Kampala's informal settlements ran water kiosks and public handwashing "
     "facilities with UN-Habitat grants, reaching about 86,800 people.", cities=["UGA-KLA"], fp=["FP1"],
     th=["children_youth_older"]),
   N("1.2", "en", "A land-records drive in Gulu used participatory enumeration to issue certificates of "
     "customary ownership, benefiting 7,800 people, more than half of them women.", cities=["UGA-GUL"],
     fp=["FP1"], th=["gender", "human_rights"]),
   N("4.1", "en", "In Gulu, 1,250 residents, 48% of them women, took part in the neighbourhood planning that "
     "produced the city's physical development plan and its plan for inclusive public spaces.",
     cities=["UGA-GUL"], fp=["FP1"], th=["gender", "safety"]),
   N("4.2", "en", "In refugee-hosting districts of the West Nile, settlement plans and shared services improved "
     "living conditions for 17,600 refugees and hosts.", fp=["FP4"], th=["human_rights"])],
  dis={"1.2.a": {"female": 4100}})

S("TZA", "b", "2022-02-16T06:40:00Z",
  {"1.1.a": 63530, "1.1.b": 1, "1.1.c": ["TZA-DAR"], "3.2.a": ["TZA-DOD"], "3.3.b": 1},
  [N("1.1", "en", "Ward committees in Dar es Salaam's unplanned settlements installed public handwashing "
     "stations and kept shared toilets running, reaching about 63,500 people; the feeder plan for the bus "
     "rapid transit added safe walking routes.", cities=["TZA-DAR"], fp=["FP1"]),
   N("3.2", "en", "Dodoma completed a Waste Wise Cities assessment, its first measurement of waste collection "
     "coverage.", cities=["TZA-DOD"], fp=["FP5"]),
   N("3.3", "en", "A CityRAP resilience action plan was prepared with one of Dar es Salaam's municipal councils "
     "for its flood-prone river valleys.", cities=["TZA-DAR"], fp=["FP3"], th=["resilience"])],
  split_cols=True)

S("RWA", "a", "2022-02-01T09:30:00Z",
  {"2.1.a": 1, "2.1.b": ["RWA-MUS"], "2.3.a": ["RWA-KGL"], "2.3.b": 58, "3.1.a": ["RWA-KGL"]},
  [N("2.1", "en", "The implementation plan of Rwanda's national urbanisation policy was reviewed, and "
     "Musanze's district master plan was revised with district staff.", cities=["RWA-MUS"], fp=["FP5"]),
   N("2.3", "en", "Kigali adopted a people-centred smart city strategy that puts digital public services for "
     "informal workers first, and 58 city and district staff were trained on urban data.",
     cities=["RWA-KGL"], fp=["FP2"], th=["human_rights"]),
   N("3.1", "en", "Kigali updated its climate action plan with targets for clean public transport and "
     "energy-efficient public buildings.", cities=["RWA-KGL"])],
  dis={"2.3.b": {"female": 23}})

S("MOZ", "b", "2022-02-04T11:15:00Z",
  {"1.1.a": 78110, "1.1.b": 1, "3.3.a": 3, "3.3.b": 3, "3.3.c": 28400,
   "4.3.a": ["MOZ-BEW", "MOZ-APL"], "4.3.b": 74, "4.3.c": 640},
  [N("1.1", "en", "In Maputo, Beira and Nampula, neighbourhood committees operated water points and "
     "handwashing stations and trained volunteers on hygiene, reaching about 78,100 people.",
     cities=["MOZ-MPM", "MOZ-BEW", "MOZ-APL"], fp=["FP1"]),
   N("3.3", "en", "Three climate vulnerability assessments and three CityRAP resilience action plans were "
     "completed in coastal municipalities, and 28,400 residents benefited from drainage and mangrove "
     "restoration works.", cities=["MOZ-BEW"], fp=["FP3"], th=["resilience"]),
   N("4.3", "en", "640 homes and classrooms in Beira were rebuilt to cyclone-resistant standards and 74 "
     "municipal technicians were trained on safer construction; Beira and Nampula adopted resilience action "
     "plans.", cities=["MOZ-BEW", "MOZ-APL"], fp=["FP3"], th=["resilience"])],
  dis={"4.3.b": {"female": 21}}, split_cols=True)

S("MWI", "a", "2022-02-09T13:05:00Z",
  {"1.1.a": 40960, "1.1.b": 1, "1.2.b": 1, "3.3.a": 2, "3.3.b": 2, "3.3.c": 14800,
   "4.3.a": ["MWI-BLZ"]},
  [N("1.1", "en", "In Lilongwe and Blantyre, water user groups extended community kiosks and built "
     "handwashing points, reaching about 41,000 people.", cities=["MWI-LLW", "MWI-BLZ"], fp=["FP1"]),
   N("1.2", "en", "The revised national housing policy, prepared with the Ministry of Lands, was submitted to "
     "Cabinet.", fp=["FP1"], th=["human_rights"]),
   N("3.3", "en", "Two climate risk assessments and two CityRAP plans were completed, and 14,800 people in "
     "flood-prone Blantyre settlements benefited from river-bank protection; Blantyre's resilience action "
     "plan now guides its capital budget.", cities=["MWI-BLZ"], fp=["FP3"], th=["resilience"])],
  dis={"1.1.a": "s"})

S("ZMB", "b", "2022-02-11T08:45:00Z",
  {"1.1.a": 33820, "1.1.b": 1, "2.1.a": 1, "3.2.a": ["ZMB-LUN"], "3.3.b": 1},
  [N("1.1", "en", "Community enterprises in Lusaka's peri-urban areas ran water kiosks and pit-emptying "
     "services, reaching about 33,800 people.", cities=["ZMB-LUN"], fp=["FP1"]),
   N("2.1", "en", "Zambia's revised national urban policy was validated with local authorities.", fp=["FP5"]),
   N("3.2", "en", "Lusaka completed a Waste Wise Cities assessment with the city council's waste management "
     "unit.", cities=["ZMB-LUN"], fp=["FP5"]),
   N("3.3", "en", "Ndola prepared a CityRAP resilience action plan for its flood-prone compounds.",
     cities=["ZMB-NLA"], fp=["FP3"], th=["resilience"])])

S("ZAF", "a", "2022-01-28T10:00:00Z",
  {"1.3.a": ["ZAF-JNB"], "2.1.c": ["ZAF-DUR"], "3.1.a": ["ZAF-DUR"], "3.1.b": 1},
  [N("1.3", "en", "Johannesburg adopted a regeneration plan for an inner-city precinct that combines "
     "mixed-income housing with new public space.", cities=["ZAF-JNB"], fp=["FP1"]),
   N("2.1", "en", "eThekwini (Durban) used the Global Urban Monitoring Framework indicators to prepare its "
     "voluntary local review.", cities=["ZAF-DUR"], fp=["FP5"]),
   N("3.1", "en", "Durban updated its climate action plan and completed a new greenhouse gas inventory "
     "covering energy, transport and waste.", cities=["ZAF-DUR"])])

S("MDG", "b", "2022-02-02T07:20:00Z",
  {"1.1.a": 46470, "1.1.b": 1, "3.3.a": 2, "3.3.b": 2, "3.3.c": 11200, "4.3.a": ["MDG-TMM"]},
  [N("1.1", "fr", "À Antananarivo, des associations de quartier ont géré des bornes-fontaines et des points "
     "de lavage des mains dans les bas quartiers, au bénéfice d'environ 46 500 personnes.",
     cities=["MDG-TNR"], fp=["FP1"], th=["gender"]),
   N("3.3", "fr", "Deux évaluations des risques climatiques et deux plans CityRAP ont été réalisés, dont celui "
     "de Toamasina, et 11 200 habitants ont bénéficié de travaux de drainage contre les inondations.",
     cities=["MDG-TMM", "MDG-TNR"], fp=["FP3"], th=["resilience"]),
   N("4.3", "fr", "Toamasina a adopté un plan d'action de résilience qui associe protection côtière et abris "
     "anticycloniques.", cities=["MDG-TMM"], fp=["FP3"], th=["resilience"])])

S("COD", "a", "2022-02-17T09:35:00Z",
  {"1.1.a": 127640, "1.1.b": 1, "1.2.a": 6300, "4.2.a": 19500, "4.2.b": ["COD-GOM"]},
  [N("1.1", "fr", "À Kinshasa et à Goma, des comités de quartier ont installé des dispositifs de lavage des "
     "mains et réhabilité des sources d'eau, ce qui a amélioré l'accès à l'eau et à l'assainissement "
     "d'environ 127 600 personnes.", cities=["COD-FIH", "COD-GOM"], fp=["FP1"]),
   N("1.2", "fr", "La sécurisation foncière communautaire au Nord-Kivu a permis de remettre des certificats à "
     "6 300 personnes, dont de nombreuses femmes chefs de ménage.", cities=["COD-GOM"], fp=["FP1"],
     th=["gender", "human_rights"]),
   N("4.2", "fr", "À Goma, la mairie a intégré les quartiers qui accueillent des déplacés dans son plan "
     "d'aménagement, et 19 500 personnes déplacées ont bénéficié d'abris et de services améliorés.",
     cities=["COD-GOM"], fp=["FP4"], th=["human_rights"])],
  dis={"1.2.a": "s"})

S("CMR", "b", "2022-02-08T15:10:00Z",
  {"1.1.a": 42380, "1.1.b": 1, "2.1.a": 1, "2.2.a": ["CMR-DLA"], "2.2.b": 6100000, "3.3.b": 1},
  [N("1.1", "fr", "Des associations de jeunes de Yaoundé et de Douala ont construit des latrines et des points "
     "d'eau dans les quartiers précaires, au profit d'environ 42 400 personnes.",
     cities=["CMR-YAO", "CMR-DLA"], fp=["FP1"], th=["children_youth_older"]),
   N("2.1", "fr", "La politique urbaine nationale a été finalisée avec le ministère chargé de l'habitat et du "
     "développement urbain.", fp=["FP5"]),
   N("2.2", "fr", "Douala a modernisé son fichier fiscal foncier et a recouvré 6,1 millions de dollars de "
     "recettes propres.", cities=["CMR-DLA"], fp=["FP5"]),
   N("3.3", "fr", "Un plan CityRAP a été élaboré avec une commune d'arrondissement de Yaoundé exposée aux "
     "inondations.", cities=["CMR-YAO"], fp=["FP3"], th=["resilience"])],
  dis={"1.1.a": "s"}, split_cols=True)

S("NGA", "a", "2022-02-12T10:40:00Z",
  {"1.1.a": 151260, "1.1.b": 1, "1.1.c": ["NGA-LOS"], "3.2.a": ["NGA-ABV"], "4.2.a": 16200,
   "4.2.b": ["NGA-MIU"], "4.2.c": 1},
  [N("1.1", "en", "In Lagos, Abuja and Maiduguri, community associations built handwashing points and managed "
     "water supply in dense settlements, reaching about 151,300 people; Lagos adopted a walking and cycling "
     "plan for two pilot corridors.", cities=["NGA-LOS", "NGA-ABV", "NGA-MIU"], fp=["FP1"],
     th=["gender"]),
   N("3.2", "en", "Abuja completed a Waste Wise Cities assessment with the territory's environmental "
     "protection board.", cities=["NGA-ABV"], fp=["FP5"]),
   N("4.2", "en", "An urban profile of Maiduguri documented how displacement has reshaped the city, and 16,200 "
     "displaced people and hosts gained improved shelter and services.", cities=["NGA-MIU"], fp=["FP4"],
     th=["human_rights"])],
  dis={"1.1.a": ""})  # no split: returned, added in corrections.json

S("GHA", "b", "2022-02-05T12:00:00Z",
  {"1.1.a": 49890, "1.1.b": 1, "2.1.c": ["GHA-KMS"], "2.2.a": ["GHA-KMS"], "2.2.b": 9800000,
   "3.1.a": ["GHA-ACC"]},
  [N("1.1", "en", "In Accra's Old Fadama and Kumasi's zongo communities, residents' groups ran water points and "
     "public handwashing facilities, reaching about 49,900 people.", cities=["GHA-ACC", "GHA-KMS"],
     fp=["FP1"]),
   N("2.1", "en", "Kumasi used the Global Urban Monitoring Framework to prepare its local urban agenda.",
     cities=["GHA-KMS"], fp=["FP5"]),
   N("2.2", "en", "A new property valuation roll in Kumasi widened the rates base; supported assemblies "
     "collected USD 9.8 million in own-source revenue.", cities=["GHA-KMS"], fp=["FP5"]),
   N("3.1", "en", "Accra updated its climate action plan with a focus on waste and transport emissions.",
     cities=["GHA-ACC"])])

S("SEN", "a", "2022-02-18T16:25:00Z",
  {"1.1.a": 37730, "1.1.b": 1, "2.1.c": ["SEN-DKR"], "3.1.a": ["SEN-DKR"], "3.2.a": ["SEN-XLS"],
   "3.3.b": 1},
  [N("1.1", "fr", "À Dakar et à Saint-Louis, des groupements de femmes ont géré des stations de lavage des "
     "mains et des kiosques à eau, au profit d'environ 37 700 personnes.", cities=["SEN-DKR", "SEN-XLS"],
     fp=["FP1"], th=["gender"]),
   N("2.1", "fr", "Dakar a utilisé le Cadre mondial de suivi urbain pour préparer son agenda urbain local.",
     cities=["SEN-DKR"], fp=["FP5"]),
   N("3.1", "fr", "Dakar a actualisé son plan climat territorial, avec de nouvelles cibles pour les transports "
     "en commun et l'éclairage public.", cities=["SEN-DKR"]),
   N("3.2", "fr", "Saint-Louis a réalisé l'évaluation Waste Wise Cities, qui sert de base à son nouveau plan de "
     "gestion des déchets.", cities=["SEN-XLS"], fp=["FP5"]),
   N("3.3", "fr", "Un plan CityRAP a été élaboré pour les quartiers de la Langue de Barbarie menacés par "
     "l'érosion côtière.", cities=["SEN-XLS"], fp=["FP3"], th=["resilience"])])

S("CIV", "b", "2022-02-10T10:30:00Z",
  {"1.1.a": 44650, "1.1.b": 1, "1.3.a": ["CIV-ABJ"], "1.3.b": 4, "3.1.a": ["CIV-ABJ"]},
  [N("1.1", "fr", "Dans quatre quartiers précaires d'Abidjan, des comités de gestion ont entretenu des "
     "bornes-fontaines et des latrines publiques, au bénéfice d'environ 44 700 personnes.",
     cities=["CIV-ABJ"], fp=["FP1"]),
   N("1.3", "fr", "Le district d'Abidjan a adopté un plan de restructuration urbaine, et ces quatre quartiers "
     "disposent désormais de plans d'amélioration élaborés avec leurs habitants.", cities=["CIV-ABJ"],
     fp=["FP1"], th=["human_rights"]),
   N("3.1", "fr", "Le district d'Abidjan a actualisé son plan climat, en priorité pour la mobilité et les "
     "déchets.", cities=["CIV-ABJ"])])

S("BFA", "a", "2022-02-06T09:00:00Z",
  {"1.1.a": 32920, "1.1.b": 1, "2.1.a": 1, "3.3.b": 1, "4.2.a": 12400, "4.2.b": ["BFA-OUA"]},
  [N("1.1", "fr", "À Ouagadougou et à Bobo-Dioulasso, des associations de quartier ont installé des points de "
     "lavage des mains et réparé des forages, au bénéfice d'environ 32 900 personnes.",
     cities=["BFA-OUA", "BFA-BOY"], fp=["FP1"]),
   N("2.1", "fr", "La politique nationale de l'habitat et du développement urbain a été actualisée avec le "
     "ministère de tutelle.", fp=["FP5"]),
   N("3.3", "fr", "Bobo-Dioulasso a élaboré un plan d'action de résilience selon l'approche CityRAP.",
     cities=["BFA-BOY"], fp=["FP3"], th=["resilience"]),
   N("4.2", "fr", "À Ouagadougou, 12 400 personnes déplacées internes et habitants des quartiers d'accueil ont "
     "bénéficié d'abris et de services de base améliorés.", cities=["BFA-OUA"], fp=["FP4"],
     th=["human_rights"])],
  dis={"1.1.a": "s"})

S("GIN", "b", "2022-01-31T11:40:00Z",
  {"2.1.a": 1, "3.2.a": ["GIN-CKY"], "3.3.b": 1},
  [N("2.1", "fr", "La Guinée a validé sa politique urbaine nationale à l'issue de consultations dans les huit "
     "régions administratives.", fp=["FP5"]),
   N("3.2", "fr", "Conakry a réalisé une évaluation Waste Wise Cities, première mesure de la collecte des "
     "déchets dans ses cinq communes.", cities=["GIN-CKY"], fp=["FP5"]),
   N("3.3", "fr", "Un plan CityRAP a été préparé avec la commune urbaine de Kankan.", cities=["GIN-KNN"],
     fp=["FP3"], th=["resilience"])])

S("SLE", "a", "2022-02-15T14:20:00Z",
  {"1.1.a": 27480, "1.1.b": 1, "2.2.a": ["SLE-FNA", "SLE-MAK"], "2.2.b": 2600000, "2.2.c": 61.0,
   "3.3.a": 1},
  [N("1.1", "en", "Community-based organisations in Freetown's hillside and coastal settlements ran water "
     "points and hygiene campaigns, reaching about 27,500 people.", cities=["SLE-FNA"], fp=["FP1"]),
   N("2.2", "en", "Freetown's points-based property tax system and a similar roll-out in Makeni brought "
     "own-source revenue to USD 2.6 million; 61% of properties are now on an up-to-date fiscal register.",
     cities=["SLE-FNA", "SLE-MAK"], fp=["FP5"]),
   N("3.3", "en", "A climate risk assessment of Freetown's landslide- and flood-prone settlements was "
     "completed with the city council.", cities=["SLE-FNA"], fp=["FP3"], th=["resilience"])])

S("LBR", "b", "2022-02-19T10:05:00Z",
  {"1.1.a": 21760, "1.1.b": 1, "1.2.a": 4200, "3.2.a": ["LBR-MLW"]},
  [N("1.1", "en", "In Monrovia's West Point and Clara Town, water and sanitation committees repaired public "
     "latrines and ran handwashing points, reaching about 21,800 people.", cities=["LBR-MLW"],
     fp=["FP1"]),
   N("1.2", "en", "Community land-use agreements in Gbarnga gave 4,200 residents documented rights to their "
     "homes.", cities=["LBR-GBA"], fp=["FP1"], th=["human_rights"]),
   N("3.2", "en", "Monrovia completed a Waste Wise Cities assessment that will guide its first waste "
     "collection contracts for informal settlements.", cities=["LBR-MLW"], fp=["FP5"])],
  dis={"1.1.a": "s", "1.2.a": "s"})

S("AGO", "a", "2022-01-27T09:00:00Z",
  {"1.2.a": 5600, "1.2.b": 1, "2.1.b": ["AGO-NOV"]},
  [N("1.2", "en", "Angola's national housing strategy was revised with a chapter on incremental housing, and "
     "5,600 residents of peri-urban Luanda received land-use rights through a pilot registration project.",
     cities=["AGO-LAD"], fp=["FP1"], th=["human_rights"]),
   N("2.1", "en", "Huambo's municipal master plan was prepared with the provincial government.",
     cities=["AGO-NOV"], fp=["FP5"])],
  dis={"1.2.a": "s"})

# ---- country offices: Arab States (ROAS) ----------------------------------------------------------
S("EGY", "a", "2022-02-07T10:10:00Z",
  {"1.1.a": 81540, "1.1.b": 1, "1.1.c": ["EGY-CAI"], "1.3.a": ["EGY-CAI", "EGY-GIZ"], "1.3.c": 1,
   "2.1.c": ["EGY-ALY"], "3.1.a": ["EGY-ALY"], "3.1.c": 46.8, "3.2.a": ["EGY-ALY"]},
  [N("1.1", "ar", "نفّذت جمعيات أهلية في المناطق غير الرسمية بالقاهرة والجيزة حملات للنظافة، وأنشأت نقاطاً لغسل "
     "الأيدي، وأصلحت وصلات المياه، فاستفاد منها نحو 81,500 شخص.", cities=["EGY-CAI", "EGY-GIZ"],
     fp=["FP1"]),
   N("1.3", "ar", "اعتُمدت خطتان لإحياء منطقتين تاريخيتين في القاهرة والجيزة، وأُقرّت سياسة وطنية للتجديد "
     "الحضري.", cities=["EGY-CAI", "EGY-GIZ"], fp=["FP1"]),
   N("2.1", "ar", "استخدمت محافظة الإسكندرية الإطار العالمي للرصد الحضري في إعداد أجندتها الحضرية المحلية.",
     cities=["EGY-ALY"], fp=["FP5"]),
   N("3.1", "ar", "حدّثت الإسكندرية خطتها للعمل المناخي، وبلغ المتوسط السنوي لتركيز الجسيمات الدقيقة فيها 46.8 "
     "ميكروغرام لكل متر مكعب.", cities=["EGY-ALY"]),
   N("3.2", "ar", "أكملت الإسكندرية تقييم المدن الواعية بالنفايات، وحدّدت نقاط تسرّب النفايات إلى الترع والبحر.",
     cities=["EGY-ALY"], fp=["FP5"])])

S("IRQ", "b", "2022-02-03T09:25:00Z",
  {"1.1.a": 67820, "1.1.b": 1, "1.2.a": 15400, "2.1.a": 1, "4.2.a": 61200, "4.2.b": ["IRQ-OSM"],
   "4.2.c": 1, "4.3.c": 420},
  [N("1.1", "ar", "في أحياء الموصل والبصرة المكتظة، أدارت لجان مجتمعية إصلاح شبكات المياه وتركيب نقاط لغسل "
     "الأيدي، واستفاد من ذلك نحو 67,800 شخص.", cities=["IRQ-OSM", "IRQ-BSR"], fp=["FP1"]),
   N("1.2", "en", "In Sinjar and the Nineveh Plains, 15,400 returnees received occupancy certificates for their "
     "homes after community verification of housing, land and property claims.", fp=["FP4"],
     th=["human_rights"]),
   N("2.1", "ar", "أُعدّت مسودة السياسة الحضرية الوطنية للعراق بالتشاور مع وزارة الإعمار والإسكان والمحافظات.",
     fp=["FP5"]),
   N("4.2", "ar", "أسهم إصلاح المساكن والخدمات في الموصل في تحسين الظروف المعيشية لـ 61,200 من العائدين "
     "والنازحين، وأُعدّ ملف حضري محدّث للمدينة.", cities=["IRQ-OSM"], fp=["FP4"], th=["human_rights"]),
   N("4.3", "en", "420 war-damaged houses and public facilities in Mosul were repaired or rebuilt to safer "
     "standards.", cities=["IRQ-OSM"], th=["resilience"])],
  split_cols=True)

S("JOR", "a", "2022-02-14T08:15:00Z",
  {"2.1.a": 1, "3.1.a": ["JOR-AMM"], "3.1.b": 1, "3.2.a": ["JOR-IRB"], "4.1.a": ["JOR-ZAR"],
   "4.1.b": 980, "4.1.c": 51, "4.2.a": 17900, "4.2.b": ["JOR-IRB", "JOR-ZAR"]},
  [N("2.1", "ar", "اكتملت مراجعة السياسة الحضرية الوطنية في الأردن بمشاركة البلديات الكبرى.", fp=["FP5"]),
   N("3.1", "ar", "حدّثت أمانة عمّان الكبرى خطتها للعمل المناخي، وأنجزت جرداً جديداً لانبعاثات غازات الدفيئة.",
     cities=["JOR-AMM"]),
   N("3.2", "ar", "أنجزت بلدية إربد تقييم المدن الواعية بالنفايات.", cities=["JOR-IRB"], fp=["FP5"]),
   N("4.1", "ar", "شارك 980 من السكان، 51% منهم نساء، في تخطيط تشاركي للأماكن العامة في الزرقاء.",
     cities=["JOR-ZAR"], fp=["FP1"], th=["gender", "safety"]),
   N("4.2", "ar", "استفاد 17,900 من اللاجئين والسكان في المجتمعات المضيفة في إربد والزرقاء من تحسين الأماكن "
     "العامة وخدمات الأحياء.", cities=["JOR-IRB", "JOR-ZAR"], fp=["FP4"], th=["human_rights"])])

S("LBN", "b", "2022-02-09T11:55:00Z",
  {"1.1.a": 43960, "1.1.b": 1, "2.1.c": ["LBN-TRI"], "4.2.a": 36800, "4.2.b": ["LBN-TRI", "LBN-TYR"],
   "4.2.c": 1, "4.3.a": ["LBN-BEY"], "4.3.c": 650},
  [N("1.1", "ar", "في الأحياء الفقيرة في طرابلس وصور، أصلحت لجان الأحياء شبكات المياه والصرف الصحي ووزّعت "
     "مستلزمات النظافة، فاستفاد نحو 44,000 شخص.", cities=["LBN-TRI", "LBN-TYR"], fp=["FP1"]),
   N("2.1", "ar", "استخدمت بلدية طرابلس الإطار العالمي للرصد الحضري في إعداد أجندتها الحضرية المحلية.",
     cities=["LBN-TRI"], fp=["FP5"]),
   N("4.2", "en", "Neighbourhood profiles in Tripoli and Tyre guided repairs of water networks and shelters that "
     "improved living conditions for 36,800 Syrian refugees and Lebanese hosts.",
     cities=["LBN-TRI", "LBN-TYR"], fp=["FP4"], th=["human_rights"]),
   N("4.3", "en", "After the port explosion, 650 homes and small public buildings in Beirut's Karantina and "
     "Mar Mikhael were repaired to safer standards, and the city adopted a recovery and resilience action "
     "plan.", cities=["LBN-BEY"], th=["resilience"])])

S("SYR", "a", "2022-02-17T07:30:00Z",
  {"1.1.a": 49610, "1.1.b": 1, "4.1.a": ["SYR-HMS"], "4.2.a": 44700, "4.2.c": 1, "4.3.c": 180},
  [N("1.1", "ar", "أعادت لجان مجتمعية في أحياء حلب وحمص تأهيل خزانات المياه ودورات المياه في المدارس والمراكز "
     "المجتمعية، فاستفاد منها نحو 49,600 شخص.", cities=["SYR-ALP", "SYR-HMS"], fp=["FP1"],
     th=["children_youth_older"]),
   N("4.1", "ar", "أعدّت حمص خطة تشاركية للإدماج الاجتماعي في حيّين متضررين.", cities=["SYR-HMS"],
     fp=["FP1"]),
   N("4.2", "ar", "حُدّثت الملفات الحضرية لحلب وحمص، وتحسّنت الظروف المعيشية لـ 44,700 من العائدين والنازحين "
     "بفضل إصلاح المساكن وشبكات المياه.", cities=["SYR-ALP", "SYR-HMS"], fp=["FP4"],
     th=["human_rights"]),
   N("4.3", "ar", "أُعيد تأهيل 180 وحدة سكنية ومرفقاً عاماً متضرراً وفق معايير أكثر أماناً.",
     cities=["SYR-ALP"], th=["resilience"])])

S("PSE", "b", "2022-02-02T10:45:00Z",
  {"1.1.a": 55830, "1.1.b": 1, "1.2.a": 3900, "2.1.b": ["PSE-NAB"], "4.1.a": ["PSE-GZA"],
   "4.1.b": 1420, "4.1.c": 46},
  [N("1.1", "ar", "في غزة، نفّذت منظمات مجتمعية أعمالاً لإصلاح شبكات المياه وتوزيع مستلزمات النظافة في المناطق "
     "المكتظة، فاستفاد منها نحو 55,800 شخص.", cities=["PSE-GZA"], fp=["FP1"]),
   N("1.2", "ar", "حصل 3,900 شخص في تجمعات المنطقة (ج) على حماية أفضل لحيازتهم بعد إعداد مخططات هيكلية محلية.",
     fp=["FP1"], th=["human_rights"]),
   N("2.1", "ar", "أعدّت بلدية نابلس مخططاً مكانياً جديداً يوجّه التوسع العمراني والخدمات.",
     cities=["PSE-NAB"], fp=["FP5"]),
   N("4.1", "ar", "شارك 1,420 شخصاً، 46% منهم نساء، في تصميم أماكن عامة آمنة في غزة.", cities=["PSE-GZA"],
     fp=["FP1"], th=["gender", "safety", "children_youth_older"])],
  dis={"1.2.a": "s"}, split_cols=True)

S("YEM", "a", "2022-02-16T09:50:00Z",
  {"1.1.a": 98470, "1.1.b": 1, "4.2.a": 26300, "4.2.b": ["YEM-ADE"], "4.3.c": 210},
  [N("1.1", "ar", "أدارت مجموعات نسائية في عدن وصنعاء مبادرات لصيانة نقاط المياه ومرافق الصرف الصحي المشتركة، "
     "فاستفاد منها نحو 98,500 شخص.", cities=["YEM-ADE", "YEM-SAH"], fp=["FP1"], th=["gender"]),
   N("4.2", "ar", "في عدن، تحسّنت الظروف المعيشية لـ 26,300 من النازحين وسكان الأحياء المضيفة بفضل إصلاح "
     "المساكن وتوسيع شبكات المياه.", cities=["YEM-ADE"], fp=["FP4"], th=["human_rights"]),
   N("4.3", "ar", "أُصلحت 210 وحدات سكنية ومرافق عامة في عدن وفق معايير بناء أكثر أماناً.", cities=["YEM-ADE"],
     th=["resilience"])],
  dis={"1.1.a": "s"})

S("SDN", "b", "2022-02-06T13:20:00Z",
  {"1.1.a": 62380, "1.1.b": 1, "2.1.a": 1, "3.3.a": 1, "4.2.a": 29800, "4.2.b": ["SDN-ELF"],
   "4.2.c": 1},
  [N("1.1", "ar", "في الأحياء الطرفية للخرطوم والأبيض، أدارت لجان المقاومة والجمعيات النسائية نقاط المياه "
     "وحملات النظافة، فاستفاد نحو 62,400 شخص.", cities=["SDN-KRT", "SDN-UYL"], fp=["FP1"],
     th=["gender"]),
   N("2.1", "en", "Sudan's national urban policy was drafted with the federal ministry in charge of "
     "infrastructure and with state governments.", fp=["FP5"]),
   N("3.3", "en", "A climate risk assessment of Khartoum's flood-prone settlements along the Nile was "
     "completed.", cities=["SDN-KRT"], fp=["FP3"], th=["resilience"]),
   N("4.2", "ar", "في الفاشر، أُعدّ ملف حضري للمدينة، وتحسّنت الظروف المعيشية لـ 29,800 من النازحين بفضل "
     "توسيع الخدمات في مواقع استقبالهم.", cities=["SDN-ELF"], fp=["FP4"], th=["human_rights"])])

S("LBY", "a", "2022-01-26T11:00:00Z",
  {"2.1.b": ["LBY-TIP"], "4.2.a": 8700, "4.2.c": 1, "4.3.a": ["LBY-BEN"], "4.3.c": 95},
  [N("2.1", "ar", "أُعدّ إطار تخطيط مكاني لطرابلس بالتنسيق مع مصلحة التخطيط العمراني.", cities=["LBY-TIP"],
     fp=["FP5"]),
   N("4.2", "ar", "اكتمل الملف الحضري لمدينة بنغازي، وتحسّنت الظروف المعيشية لـ 8,700 من العائدين والنازحين.",
     cities=["LBY-BEN"], fp=["FP4"], th=["human_rights"]),
   N("4.3", "ar", "اعتمدت بنغازي خطة عمل للقدرة على الصمود، وأُعيد تأهيل 95 مسكناً ومرفقاً عاماً في أحيائها "
     "القديمة.", cities=["LBY-BEN"], th=["resilience"])])

S("TUN", "b", "2022-02-12T09:15:00Z",
  {"1.3.a": ["TUN-TUN"], "1.3.c": 1, "3.1.a": ["TUN-SFA"], "3.2.a": ["TUN-SFA"]},
  [N("1.3", "ar", "اعتُمد مخطط لإحياء أحياء في مدينة تونس العتيقة، وأُقرّت استراتيجية وطنية لتجديد المراكز "
     "العمرانية القديمة.", cities=["TUN-TUN"], fp=["FP1"]),
   N("3.1", "ar", "حدّثت بلدية صفاقس خطتها للعمل المناخي مع أهداف للنقل العام وكفاءة الطاقة.",
     cities=["TUN-SFA"]),
   N("3.2", "ar", "أكملت صفاقس تقييم المدن الواعية بالنفايات، الذي يدعم خطتها الجديدة لإدارة النفايات الصلبة.",
     cities=["TUN-SFA"], fp=["FP5"])])

S("MAR", "a", "2022-02-04T14:00:00Z",
  {"1.3.a": ["MAR-CAS"], "1.3.b": 5, "2.3.a": ["MAR-CAS"], "3.1.a": ["MAR-RBA"]},
  [N("1.3", "ar", "اعتمدت الدار البيضاء مخططاً لتجديد حيّ قديم، وأعدّت خمسة أحياء غير منظمة خطط تأهيل بمشاركة "
     "سكانها.", cities=["MAR-CAS"], fp=["FP1"]),
   N("2.3", "ar", "أعدّت الدار البيضاء استراتيجية للمدينة الذكية تتمحور حول الإنسان، تبدأ بالخدمات الرقمية "
     "للمواطنين.", cities=["MAR-CAS"], fp=["FP2"]),
   N("3.1", "fr", "Rabat a adopté un plan d'action climat qui fixe des cibles pour la mobilité douce et "
     "l'efficacité énergétique des bâtiments publics.", cities=["MAR-RBA"])])

S("SAU", "b", "2022-01-24T08:30:00Z",
  {"1.3.a": ["SAU-JED"], "2.1.b": ["SAU-RUH", "SAU-JED"], "2.3.a": ["SAU-RUH"], "2.3.b": 66},
  [N("1.3", "ar", "اعتُمدت خطة لتجديد منطقة جدة التاريخية تجمع بين الحفاظ على التراث وتحسين الأماكن العامة.",
     cities=["SAU-JED"], fp=["FP1"]),
   N("2.1", "ar", "أُعدّت أطر للتخطيط المكاني لمدينتي الرياض وجدة ضمن برنامج مستقبل المدن السعودية.",
     cities=["SAU-RUH", "SAU-JED"], fp=["FP5"]),
   N("2.3", "ar", "اعتمدت الرياض استراتيجية للمدينة الذكية تتمحور حول الإنسان، وتدرّب 66 موظفاً بلدياً على "
     "البيانات الحضرية.", cities=["SAU-RUH"], fp=["FP2"])],
  dis={"2.3.b": {"female": 19}})

S("KWT", "a", "2022-01-20T10:00:00Z",
  {"1.2.b": 1, "2.3.b": 34, "3.1.a": ["KWT-KWI"]},
  [N("1.2", "ar", "أُعدّت مسودة سياسة وطنية للإسكان الميسّر بالتعاون مع المؤسسة العامة للرعاية السكنية.",
     fp=["FP1"]),
   N("2.3", "ar", "تدرّب 34 موظفاً من البلدية على استخدام البيانات الحضرية ونظم المعلومات الجغرافية.", fp=["FP2"]),
   N("3.1", "ar", "أعدّت مدينة الكويت خطة للعمل المناخي تركّز على كفاءة الطاقة في المباني والنقل العام.",
     cities=["KWT-KWI"])],
  dis={"2.3.b": {"female": 15}})

# ---- country offices: Asia and the Pacific (ROAP) -------------------------------------------------
S("AFG", "a", "2022-02-20T05:30:00Z",
  {"1.1.a": 134720, "1.1.b": 1, "1.2.a": 21600, "4.2.a": 32400, "4.2.b": ["AFG-HEA", "AFG-JAA"]},
  [N("1.1", "en", "Community development councils in Kabul, Herat and Jalalabad built and maintained public "
     "handwashing points and rehabilitated shallow wells, reaching about 134,700 people even though work "
     "paused for several weeks after August.", cities=["AFG-KBL", "AFG-HEA", "AFG-JAA"], fp=["FP1"],
     th=["gender"]),
   N("1.2", "en", "21,600 people in informal areas of Herat and Jalalabad received occupancy certificates "
     "before land registration was suspended.", cities=["AFG-HEA", "AFG-JAA"], fp=["FP1"],
     th=["human_rights"]),
   N("4.2", "en", "In Herat and Jalalabad, returnee and displaced families gained upgraded streets, drainage "
     "and water through community contracts, improving living conditions for 32,400 people.",
     cities=["AFG-HEA", "AFG-JAA"], fp=["FP4"], th=["human_rights"])],
  dis={"1.2.a": "s"})

S("PAK", "b", "2022-02-08T06:10:00Z",
  {"1.1.a": 128580, "1.1.b": 1, "2.2.a": ["PAK-KHI"], "2.2.b": 14300000, "3.3.a": 1, "4.3.b": 110},
  [N("1.1", "en", "Community organisations in Karachi's katchi abadis and in Quetta ran handwashing stations and "
     "rehabilitated water supply lines, reaching about 128,600 people.", cities=["PAK-KHI", "PAK-UET"],
     fp=["FP1"]),
   N("2.2", "en", "Property tax digitisation in Karachi added about 64,000 properties to the register; the "
     "supported municipalities collected USD 14.3 million in own-source revenue.", cities=["PAK-KHI"],
     fp=["FP5"]),
   N("3.3", "en", "Quetta completed a climate risk assessment covering drought, flash floods and heat.",
     cities=["PAK-UET"], fp=["FP3"], th=["resilience"]),
   N("4.3", "en", "110 municipal engineers and planners, 28 of them women, were trained on flood- and "
     "earthquake-resilient construction in Punjab and Balochistan.", th=["resilience", "gender"])],
  dis={"1.1.a": "s", "4.3.b": {"female": 28}})

S("IND", "b", "2022-02-15T05:45:00Z",
  {"1.1.a": 108860, "1.1.b": 1, "1.1.c": ["IND-BHO"], "2.1.c": ["IND-BHO"], "3.1.a": ["IND-BHO"],
   "3.2.a": ["IND-BOM"]},
  [N("1.1", "en", "Women's self-help groups in Bhopal and Mumbai slums ran community toilets and water points "
     "and trained neighbours on hygiene, reaching about 108,900 people; Bhopal extended its public "
     "bicycle-sharing and walkability plan.", cities=["IND-BHO", "IND-BOM"], fp=["FP1"], th=["gender"]),
   N("2.1", "en", "Bhopal used the Global Urban Monitoring Framework to prepare its voluntary local review.",
     cities=["IND-BHO"], fp=["FP5"]),
   N("3.1", "en", "Bhopal adopted a climate action plan with targets for building energy use and public "
     "transport.", cities=["IND-BHO"]),
   N("3.2", "en", "A Waste Wise Cities assessment in Mumbai's eastern wards measured collection and recycling "
     "rates for the first time.", cities=["IND-BOM"], fp=["FP5"])])

BGD_NARR_11 = ("Community development committees in Dhaka, Chattogram and Khulna ran water points, latrines and "
               "handwashing stations in low-income settlements, reaching about 158,300 people.")
S("BGD", "b", "2022-02-10T04:20:00Z",
  {"1.1.a": 196400, "1.1.b": 1, "3.1.a": ["BGD-KHL"], "3.2.a": ["BGD-CGP"], "3.3.a": 1, "3.3.c": 9800},
  [N("1.1", "en", BGD_NARR_11, cities=["BGD-DAC", "BGD-CGP", "BGD-KHL"], fp=["FP1"],
     th=["gender", "human_rights"]),
   N("3.1", "en", "Khulna updated its climate action plan, with flood-proof housing and drainage as its first "
     "priorities.", cities=["BGD-KHL"]),
   N("3.2", "en", "Chattogram completed a Waste Wise Cities assessment with its city corporation.",
     cities=["BGD-CGP"], fp=["FP5"]),
   N("3.3", "en", "Khulna completed a climate risk assessment, and 9,800 people in its low-lying settlements "
     "benefited from raised footpaths and drains.", cities=["BGD-KHL"], fp=["FP3"], th=["resilience"])],
  split_cols=True)

S("NPL", "a", "2022-02-13T05:00:00Z",
  {"1.1.a": 40870, "1.1.b": 1, "3.1.a": ["NPL-PKR"], "3.1.c": 41.5, "4.3.a": ["NPL-PKR"],
   "4.3.b": 86},
  [N("1.1", "en", "Women-led community groups in the Kathmandu valley and Pokhara maintained stone spouts and "
     "public taps and built handwashing points, reaching about 40,900 people.",
     cities=["NPL-KTM", "NPL-PKR"], fp=["FP1"], th=["gender"]),
   N("3.1", "en", "Pokhara adopted a climate action plan; annual mean PM2.5 in the supported cities was "
     "41.5 µg/m³.", cities=["NPL-PKR", "NPL-KTM"]),
   N("4.3", "en", "Pokhara adopted a resilience action plan, and 86 municipal engineers and masons were trained "
     "on earthquake-safe building.", cities=["NPL-PKR"], th=["resilience"])],
  dis={"4.3.b": {"female": 17}})

S("LKA", "b", "2022-01-25T04:30:00Z",
  {"1.3.b": 3, "3.2.a": ["LKA-CMB"], "3.2.b": 62.0, "4.2.a": 5400, "4.2.b": ["LKA-JAF"]},
  [N("1.3", "en", "Three underserved settlements in Colombo prepared participatory upgrading plans with the "
     "municipal council.", cities=["LKA-CMB"], fp=["FP1"]),
   N("3.2", "en", "Colombo completed a Waste Wise Cities assessment: 62% of municipal solid waste is collected "
     "and managed in controlled facilities.", cities=["LKA-CMB"], fp=["FP5"]),
   N("4.2", "en", "In Jaffna, 5,400 returnees gained better housing and water supply as the municipality "
     "included resettled neighbourhoods in its services.", cities=["LKA-JAF"], fp=["FP4"],
     th=["human_rights"])])

S("MMR", "a", "2022-02-11T07:00:00Z",
  {"1.1.a": 53730, "1.1.b": 1, "1.2.a": 8600, "3.3.a": 1},
  [N("1.1", "en", "Through community contracts, residents of informal settlements on Yangon's periphery built "
     "tube wells and latrines, reaching about 53,700 people.", cities=["MMR-RGN"], fp=["FP1"]),
   N("1.2", "en", "8,600 people in informal settlements of Yangon and Mandalay had their occupancy recorded "
     "through community mapping.", cities=["MMR-RGN", "MMR-MDL"], fp=["FP1"], th=["human_rights"]),
   N("3.3", "en", "A climate vulnerability assessment of Yangon's flood-prone townships was completed with "
     "community groups.", cities=["MMR-RGN"], fp=["FP3"], th=["resilience"])],
  dis={"1.1.a": "s", "1.2.a": "s"})

S("LAO", "b", "2022-01-21T03:30:00Z",
  {"3.1.a": ["LAO-LPQ"], "3.3.a": 2, "3.3.b": 1, "3.3.c": 12200},
  [N("3.1", "en", "Luang Prabang adopted its first climate action plan.", cities=["LAO-LPQ"]),
   N("3.3", "en", "Two climate vulnerability assessments and one CityRAP plan were completed, and 12,200 people "
     "in flood-prone villages of Luang Prabang and Vientiane benefited from small-scale adaptation works.",
     cities=["LAO-LPQ", "LAO-VTE"], fp=["FP3"], th=["resilience"])])

S("VNM", "a", "2022-02-02T03:10:00Z",
  {"1.1.c": ["VNM-HAN"], "3.1.a": ["VNM-DAD", "VNM-SGN"], "3.1.b": 2, "3.2.a": ["VNM-DAD"]},
  [N("1.1", "en", "Hanoi adopted a non-motorised transport plan that links bus stops with safe walking routes "
     "in four districts.", cities=["VNM-HAN"]),
   N("3.1", "en", "Da Nang and Ho Chi Minh City updated their climate action plans and completed greenhouse gas "
     "inventories.", cities=["VNM-DAD", "VNM-SGN"]),
   N("3.2", "en", "Da Nang completed a Waste Wise Cities assessment focused on plastic waste reaching the sea.",
     cities=["VNM-DAD"], fp=["FP5"])])

S("PHL", "b", "2022-02-09T02:40:00Z",
  {"1.1.a": 72140, "1.1.b": 1, "1.1.c": ["PHL-MNL"], "2.1.c": ["PHL-CEB"], "4.2.a": 11800,
   "4.2.b": ["PHL-MRW"], "4.3.a": ["PHL-MRW"], "4.3.c": 280},
  [N("1.1", "en", "Homeowners' associations in Metro Manila and Cebu ran community water points and "
     "handwashing stations, reaching about 72,100 people; Manila piloted protected bicycle lanes.",
     cities=["PHL-MNL", "PHL-CEB"], fp=["FP1"]),
   N("2.1", "en", "Cebu City used the Global Urban Monitoring Framework to prepare its local urban agenda.",
     cities=["PHL-CEB"], fp=["FP5"]),
   N("4.2", "en", "11,800 residents displaced from Marawi's most affected area returned to rebuilt homes or "
     "moved to serviced sites with secure occupancy.", cities=["PHL-MRW"], fp=["FP4"],
     th=["human_rights"]),
   N("4.3", "en", "In Marawi, 280 homes and community facilities were rebuilt to resilient standards, and the "
     "city adopted a resilience action plan.", cities=["PHL-MRW"], th=["resilience"])],
  split_cols=True)

S("IDN", "a", "2022-02-18T02:15:00Z",
  {"1.1.a": 58980, "1.1.b": 1, "2.1.c": ["IDN-SUB"], "2.3.a": ["IDN-JKT"], "3.1.a": ["IDN-SUB"],
   "3.1.b": 1},
  [N("1.1", "en", "Kampung communities in Jakarta and Surabaya built communal handwashing points and repaired "
     "shared toilets, reaching about 59,000 people.", cities=["IDN-JKT", "IDN-SUB"], fp=["FP1"]),
   N("2.1", "en", "Surabaya used the Global Urban Monitoring Framework for its voluntary local review.",
     cities=["IDN-SUB"], fp=["FP5"]),
   N("2.3", "en", "Jakarta adopted a people-centred smart city roadmap that puts digital access for kampung "
     "residents first.", cities=["IDN-JKT"], fp=["FP2"], th=["human_rights"]),
   N("3.1", "en", "Surabaya updated its climate action plan and completed a greenhouse gas inventory.",
     cities=["IDN-SUB"])])

S("MNG", "b", "2022-02-04T02:00:00Z",
  {"1.3.b": 4, "3.1.a": ["MNG-ULN"], "3.1.b": 1, "3.1.c": 52.0},
  [N("1.3", "ru", "Жители четырёх юртовых районов Улан-Батора вместе с мэрией подготовили планы благоустройства "
     "своих кварталов.", cities=["MNG-ULN"], fp=["FP1"]),
   N("3.1", "ru", "Улан-Батор обновил план действий по климату и завершил инвентаризацию выбросов парниковых "
     "газов; среднегодовая концентрация PM2.5 в городе составила 52 мкг/м³.", cities=["MNG-ULN"])])

S("FJI", "b", "2022-01-29T21:00:00Z",
  {"3.1.a": ["FJI-SUV"], "3.3.a": 2, "3.3.b": 1, "3.3.c": 9100},
  [N("3.1", "en", "Suva adopted a climate action plan with targets for coastal protection and cleaner "
     "transport.", cities=["FJI-SUV"]),
   N("3.3", "en", "Climate vulnerability assessments of informal settlements in Suva and Lautoka were completed, "
     "and 9,100 residents benefited from drainage and sea-wall works under RISE UP.",
     cities=["FJI-SUV", "FJI-LTK"], fp=["FP3"], th=["resilience"])])

S("SLB", "a", "2022-02-01T22:30:00Z",
  {"2.1.a": 1, "3.1.a": ["SLB-HIR"], "3.3.a": 1, "3.3.c": 6500},
  [N("2.1", "en", "The Solomon Islands national urban policy was finalised with the ministry responsible for "
     "lands and housing.", fp=["FP5"]),
   N("3.1", "en", "Honiara adopted a climate action plan covering coastal settlements and the city's waste "
     "dump.", cities=["SLB-HIR"]),
   N("3.3", "en", "A climate vulnerability assessment of Honiara was completed, and 6,500 residents of its "
     "informal settlements benefited from footbridges and drainage.", cities=["SLB-HIR"], fp=["FP3"],
     th=["resilience"])],
  dis={"3.3.c": "s"})

S("PNG", "a", "2022-02-05T23:40:00Z",
  {"1.1.a": 16940, "1.1.b": 1, "2.1.a": 1, "3.3.a": 1},
  [N("1.1", "en", "Settlement communities in Port Moresby and Lae installed rainwater tanks and handwashing "
     "stations, reaching about 16,900 people.", cities=["PNG-POM", "PNG-LAE"], fp=["FP1"]),
   N("2.1", "en", "The review of the national urbanisation policy was completed with provincial "
     "governments.", fp=["FP5"]),
   N("3.3", "en", "A climate vulnerability assessment of Port Moresby's coastal settlements was completed.",
     cities=["PNG-POM"], fp=["FP3"], th=["resilience"])],
  dis={"1.1.a": ""})

S("IRN", "a", "2022-01-30T07:15:00Z",
  {"1.3.a": ["IRN-MHD"], "1.3.b": 6, "3.3.a": 1},
  [N("1.3", "en", "Mashhad adopted a regeneration plan for informal settlements on its fringe, and six "
     "neighbourhoods prepared participatory upgrading plans.", cities=["IRN-MHD"], fp=["FP1"]),
   N("3.3", "en", "A combined climate and earthquake risk assessment was completed for two districts of "
     "Tehran.", cities=["IRN-THR"], th=["resilience"])])

# ---- country offices: Latin America and the Caribbean (ROLAC) -----------------------------------
S("MEX", "a", "2022-02-08T17:30:00Z",
  {"1.1.a": 35870, "1.1.b": 1, "1.1.c": ["MEX-MEX"], "1.1.d": 52.0, "1.3.a": ["MEX-MEX"],
   "2.1.c": ["MEX-GDL", "MEX-MTY"], "3.1.a": ["MEX-GDL"], "3.1.b": 2, "4.2.a": 7900,
   "4.2.b": ["MEX-MTY"]},
  [N("1.1", "es", "Comités vecinales de colonias periféricas de la Ciudad de México instalaron lavamanos "
     "comunitarios y sistemas de captación de agua de lluvia, en beneficio de unas 35.900 personas; la "
     "ciudad amplió su red de ciclovías.", cities=["MEX-MEX"], fp=["FP1"]),
   N("1.3", "es", "La Ciudad de México aprobó un plan de regeneración urbana para un barrio central con "
     "vivienda asequible y espacio público.", cities=["MEX-MEX"], fp=["FP1"]),
   N("2.1", "es", "Guadalajara y Monterrey usaron el Marco Mundial de Monitoreo Urbano para elaborar sus "
     "agendas urbanas locales.", cities=["MEX-GDL", "MEX-MTY"], fp=["FP5"]),
   N("3.1", "es", "Guadalajara actualizó su plan de acción climática y se completaron dos inventarios de gases "
     "de efecto invernadero en la zona metropolitana.", cities=["MEX-GDL"]),
   N("4.2", "es", "En Monterrey, 7.900 personas migrantes y solicitantes de asilo accedieron a vivienda temporal "
     "y servicios gracias a un plan municipal de inclusión.", cities=["MEX-MTY"], fp=["FP4"],
     th=["human_rights"])])

S("GTM", "b", "2022-02-12T16:20:00Z",
  {"1.1.a": 24640, "1.1.b": 1, "3.3.a": 1, "4.2.a": 4100, "4.2.b": ["GTM-GUA"]},
  [N("1.1", "es", "En asentamientos precarios de la Ciudad de Guatemala, comités de vecinos rehabilitaron "
     "tanques comunitarios y puntos de lavado de manos, en beneficio de unas 24.600 personas.",
     cities=["GTM-GUA"], fp=["FP1"]),
   N("3.3", "es", "Se completó una evaluación de riesgo climático de Quetzaltenango centrada en deslizamientos "
     "e inundaciones.", cities=["GTM-AAZ"], fp=["FP3"], th=["resilience"]),
   N("4.2", "es", "En la Ciudad de Guatemala, 4.100 personas retornadas y migrantes en tránsito recibieron "
     "albergue y orientación en servicios municipales.", cities=["GTM-GUA"], fp=["FP4"],
     th=["human_rights"])],
  split_cols=True)

S("HND", "a", "2022-02-10T15:00:00Z",
  {"1.1.a": 22980, "1.1.b": 1, "3.3.b": 1, "4.1.a": ["HND-TGU"], "4.1.b": 1860, "4.1.c": 55,
   "4.2.a": 5200, "4.2.b": ["HND-SAP"]},
  [N("1.1", "es", "Juntas de agua de colonias de Tegucigalpa ampliaron el suministro comunitario y "
     "construyeron lavamanos públicos, en beneficio de unas 23.000 personas.", cities=["HND-TGU"],
     fp=["FP1"]),
   N("3.3", "es", "San Pedro Sula elaboró un plan de acción de resiliencia con la metodología CityRAP tras los "
     "huracanes Eta e Iota.", cities=["HND-SAP"], fp=["FP3"], th=["resilience"]),
   N("4.1", "es", "1.860 personas, el 55 % mujeres, participaron en la planificación de espacios públicos "
     "seguros en barrios de Tegucigalpa.", cities=["HND-TGU"], fp=["FP1"], th=["gender", "safety"]),
   N("4.2", "es", "En San Pedro Sula, 5.200 personas retornadas y desplazadas por los huracanes accedieron a "
     "vivienda y servicios mejorados.", cities=["HND-SAP"], fp=["FP4"], th=["human_rights"])])

S("SLV", "b", "2022-02-03T15:40:00Z",
  {"1.3.b": 4, "4.1.a": ["SLV-SAL", "SLV-SAN"], "4.1.b": 2140, "4.1.c": 57},
  [N("1.3", "es", "Cuatro asentamientos de San Salvador elaboraron planes participativos de mejoramiento "
     "barrial.", cities=["SLV-SAL"], fp=["FP1"]),
   N("4.1", "es", "En San Salvador y Santa Ana, 2.140 personas, el 57 % mujeres, participaron en planes de "
     "convivencia y espacio público para la prevención de la violencia.", cities=["SLV-SAL", "SLV-SAN"],
     fp=["FP1"], th=["safety", "gender", "children_youth_older"])])

S("CRI", "a", "2022-01-19T16:00:00Z",
  {"1.1.d": 47.0, "3.1.a": ["CRI-SJO"], "3.2.a": ["CRI-SJO"], "3.2.b": 71.0},
  [N("1.1", "es", "El estudio de espacio público de San José mostró que el 47 % de sus habitantes vive a menos "
     "de 400 metros de un espacio público abierto.", cities=["CRI-SJO"]),
   N("3.1", "es", "San José actualizó su plan de acción climática con metas de movilidad eléctrica.",
     cities=["CRI-SJO"]),
   N("3.2", "es", "San José completó la evaluación Waste Wise Cities: el 71 % de los residuos sólidos "
     "municipales se recoge y gestiona en instalaciones controladas.", cities=["CRI-SJO"], fp=["FP5"])])

S("CUB", "b", "2022-02-07T14:25:00Z",
  {"1.2.b": 1, "4.3.a": ["CUB-SCU"], "4.3.b": 58, "4.3.c": 190},
  [N("1.2", "es", "Se acompañó la aplicación de la política nacional de vivienda con guías para la producción "
     "local de materiales.", fp=["FP1"]),
   N("4.3", "es", "En Santiago de Cuba se rehabilitaron 190 viviendas e instalaciones públicas con técnicas "
     "resistentes a huracanes, se capacitó a 58 técnicos municipales y la ciudad aprobó un plan de acción de "
     "resiliencia.", cities=["CUB-SCU"], th=["resilience"])],
  dis={"4.3.b": {"female": 31}})

HTI_NARR_33 = ("Deux évaluations des risques climatiques ont été achevées, aux Cayes et au Cap-Haïtien ; deux "
               "autres, à Port-au-Prince et à Jacmel, sont en cours.")
S("HTI", "b", "2022-02-14T15:10:00Z",
  {"1.1.a": 51920, "1.1.b": 1, "3.3.a": 4, "4.3.a": ["HTI-CYA"], "4.3.b": 64, "4.3.c": 160},
  [N("1.1", "fr", "À Port-au-Prince et au Cap-Haïtien, des comités de quartier ont géré des kiosques d'eau et "
     "des points de lavage des mains, au bénéfice d'environ 51 900 personnes.",
     cities=["HTI-PAP", "HTI-CAP"], fp=["FP1"]),
   N("3.3", "fr", HTI_NARR_33, cities=["HTI-CYA", "HTI-CAP"], fp=["FP3"], th=["resilience"]),
   N("4.3", "fr", "Après le séisme d'août 2021, 160 logements et bâtiments publics ont été reconstruits aux "
     "Cayes selon des normes parasismiques, 64 techniciens municipaux ont été formés et la ville a adopté un "
     "plan d'action de résilience.", cities=["HTI-CYA"], th=["resilience"])],
  dis={"4.3.b": {"female": 22}})

S("COL", "a", "2022-02-11T14:50:00Z",
  {"1.1.a": 46860, "1.1.b": 1, "2.1.c": ["COL-BOG", "COL-MDE"], "2.3.a": ["COL-MDE"],
   "4.1.a": ["COL-CUC"], "4.2.a": 29600, "4.2.b": ["COL-CUC", "COL-BOG"]},
  [N("1.1", "es", "En barrios informales de Cúcuta y Bogotá, juntas de acción comunal instalaron lavamanos y "
     "conexiones de agua, en beneficio de unas 46.900 personas.", cities=["COL-CUC", "COL-BOG"],
     fp=["FP1"]),
   N("2.1", "es", "Bogotá y Medellín usaron el Marco Mundial de Monitoreo Urbano en sus revisiones locales "
     "voluntarias.", cities=["COL-BOG", "COL-MDE"], fp=["FP5"]),
   N("2.3", "es", "Medellín adoptó una estrategia de ciudad inteligente centrada en las personas, con metas de "
     "conectividad para barrios de ladera.", cities=["COL-MDE"], fp=["FP2"], th=["human_rights"]),
   N("4.2", "es", "En Cúcuta y Bogotá, 29.600 personas migrantes venezolanas y de las comunidades de acogida "
     "mejoraron sus condiciones de vida, y Cúcuta aprobó un plan participativo de inclusión.",
     cities=["COL-CUC", "COL-BOG"], fp=["FP4"], th=["human_rights"])])

S("ECU", "b", "2022-02-09T16:35:00Z",
  {"3.1.a": ["ECU-UIO"], "3.2.a": ["ECU-GYE"], "4.2.a": 9400, "4.2.b": ["ECU-UIO"]},
  [N("3.1", "es", "Quito actualizó su plan de acción climática con metas para el transporte público y los "
     "residuos.", cities=["ECU-UIO"]),
   N("3.2", "es", "Guayaquil completó la evaluación Waste Wise Cities con su empresa municipal de aseo.",
     cities=["ECU-GYE"], fp=["FP5"]),
   N("4.2", "es", "En Quito, 9.400 personas migrantes y refugiadas accedieron a vivienda y servicios gracias a "
     "un plan municipal de inclusión.", cities=["ECU-UIO"], fp=["FP4"], th=["human_rights"])])

S("PER", "a", "2022-02-15T17:05:00Z",
  {"1.2.b": 1, "3.1.a": ["PER-AQP"], "3.2.a": ["PER-LIM"], "4.2.a": 11800, "4.2.b": ["PER-LIM"]},
  [N("1.2", "es", "Se apoyó la aprobación de la política nacional de vivienda y urbanismo con aportes sobre "
     "vivienda de interés social.", fp=["FP1"]),
   N("3.1", "es", "Arequipa adoptó un plan de acción climática con metas de transporte limpio.",
     cities=["PER-AQP"]),
   N("3.2", "es", "Lima completó la evaluación Waste Wise Cities en uno de sus distritos, con datos de "
     "recolección y reciclaje informal.", cities=["PER-LIM"], fp=["FP5"]),
   N("4.2", "es", "En Lima, 11.800 personas migrantes y de las comunidades de acogida mejoraron sus condiciones "
     "de vida gracias a un plan municipal de vivienda y servicios.", cities=["PER-LIM"], fp=["FP4"],
     th=["human_rights"])])

S("BOL", "b", "2022-02-01T13:30:00Z",
  {"2.1.a": 1, "3.1.a": ["BOL-LPB"], "3.1.b": 1, "3.2.a": ["BOL-SRZ"]},
  [N("2.1", "es", "Se apoyó la aplicación de la política nacional de ciudades con planes de acción en tres "
     "departamentos.", fp=["FP5"]),
   N("3.1", "es", "La Paz actualizó su plan de acción climática y completó un inventario de gases de efecto "
     "invernadero.", cities=["BOL-LPB"]),
   N("3.2", "es", "Santa Cruz de la Sierra completó la evaluación Waste Wise Cities.", cities=["BOL-SRZ"],
     fp=["FP5"])])

S("BRA", "a", "2022-02-17T18:20:00Z",
  {"1.1.a": 60930, "1.1.b": 1, "1.3.a": ["BRA-REC"], "3.1.a": ["BRA-REC", "BRA-RIO"], "3.1.b": 2},
  [N("1.1", "en", "In favelas of Rio de Janeiro and Recife, residents' associations and community kitchens "
     "installed water tanks and distributed hygiene kits, reaching about 60,900 people.",
     cities=["BRA-RIO", "BRA-REC"], fp=["FP1"]),
   N("1.3", "en", "Recife adopted a regeneration plan for a riverside informal area, prepared with its "
     "residents.", cities=["BRA-REC"], fp=["FP1"]),
   N("3.1", "en", "Recife and Rio de Janeiro updated their climate action plans, and both completed new "
     "greenhouse gas inventories.", cities=["BRA-REC", "BRA-RIO"])])

S("VEN", "b", "2022-02-18T13:45:00Z",
  {"1.3.b": 3, "4.1.a": ["VEN-CCS"], "4.1.b": 760, "4.1.c": 61},
  [N("1.3", "es", "Tres barrios de Caracas elaboraron planes de mejoramiento con participación de sus "
     "consejos comunales.", cities=["VEN-CCS"], fp=["FP1"]),
   N("4.1", "es", "760 personas, el 61 % mujeres, participaron en la planificación de espacios comunitarios en "
     "Caracas.", cities=["VEN-CCS"], fp=["FP1"], th=["gender"])])

# ---- country offices reporting through headquarters ---------------------------------------------
S("TUR", "a", "2022-02-04T12:25:00Z",
  {"2.1.c": ["TUR-GZT"], "2.3.a": ["TUR-IST"], "4.2.a": 21400, "4.2.b": ["TUR-GZT", "TUR-IST"]},
  [N("2.1", "en", "Gaziantep used the Global Urban Monitoring Framework to prepare its local urban agenda.",
     cities=["TUR-GZT"], fp=["FP5"]),
   N("2.3", "en", "An Istanbul district municipality adopted a people-centred smart city strategy with "
     "services in Arabic for its refugee residents.", cities=["TUR-IST"], fp=["FP2"]),
   N("4.2", "en", "In Gaziantep and Istanbul, 21,400 Syrian refugees and host residents gained better access "
     "to housing advice and municipal services.", cities=["TUR-GZT", "TUR-IST"], fp=["FP4"],
     th=["human_rights"])])

S("UKR", "b", "2022-02-07T09:40:00Z",
  {"4.2.a": 6200, "4.2.b": ["UKR-HRK"], "4.3.b": 48},
  [N("4.2", "en", "In Kharkiv, 6,200 internally displaced people from the east of the country gained access to "
     "renovated social housing and to municipal services.", cities=["UKR-HRK"], fp=["FP4"],
     th=["human_rights"]),
   N("4.3", "en", "48 municipal officials from five cities were trained on resilience planning and building "
     "assessments.", th=["resilience"])],
  dis={"4.3.b": {"female": 26}}, split_cols=True)

# ---------------------------------------------------------------------------------------------
# The review story: submissions returned with a comment, and what the office changed.
# ---------------------------------------------------------------------------------------------


def fix_nga(o):
    o["dis"]["1.1.a"] = "sa"


def fix_bgd(o):
    o["values"]["1.1.a"] = 158300


def fix_hti(o):
    o["values"]["3.3.a"] = 2


def fix_rolac(o):
    o["outcomes"].append(N("4.2", "es", "En Antofagasta y Santiago de Chile se acompañó a los municipios en la "
                           "regularización de campamentos donde viven familias migrantes; las mejoras de agua y "
                           "electricidad beneficiaron a unas 5.200 personas.", countries=["CHL"], fp=["FP4"],
                           th=["human_rights"]))


def fix_hq_rbm(o):
    o["values"]["2.1.c"] = list(GUMF_PILOTS)


RETURNS = [
    # office, returned at, comment, corrected at, fix
    ("NGA", "2022-02-22T10:15:00Z",
     "The female and male figures are missing for 1.1.a; please add them, and the age groups if you have them.",
     "2022-02-25T10:20:00Z", fix_nga),
    ("BGD", "2022-02-22T10:40:00Z",
     "1.1.a gives 196,400 people but the narrative for outcome 1.1 speaks of about 158,300; it looks as if "
     "Khulna was counted twice. Please correct the total and its splits.",
     "2022-02-24T05:10:00Z", fix_bgd),
    ("HTI", "2022-02-22T11:05:00Z",
     "3.3.a counts 4 assessments, but the narrative says only two were completed in 2021 and two are still "
     "under way; please count completed assessments only.",
     "2022-02-25T14:30:00Z", fix_hti),
    ("ROLAC", "2022-02-22T11:30:00Z",
     "4.2.a reports 5,200 people in Chile but outcome 4.2 has no narrative; please describe the results and "
     "where they happened.",
     "2022-02-26T13:00:00Z", fix_rolac),
    ("HQ-RBM", "2022-02-22T12:00:00Z",
     "2.1.c is empty although the narrative for outcome 2.1 describes six pilot municipalities; please select "
     "them under 2.1.c.",
     "2022-02-23T08:45:00Z", fix_hq_rbm),
]

# ---------------------------------------------------------------------------------------------
# Writing the files.
# ---------------------------------------------------------------------------------------------

with open(PLAN, encoding="utf-8") as f:
    PLAN_JSON = json.load(f)
IND = {}
for d in PLAN_JSON["domains"]:
    for oc in d["outcomes"]:
        for i in oc.get("indicators", []):
            IND[i["code"]] = dict(i, domain=d["code"], outcome=oc["code"])
CATS = {g["code"]: [c["code"] for c in g["categories"]] for g in PLAN_JSON["disaggregations"]}
OFFICE_KIND = {o["code"]: o for o in PLAN_JSON["offices"]}
CITY_COUNTRY = {c["code"]: c["country"] for c in PLAN_JSON["cities"]}


def frac(*parts):
    h = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return int(h[:8], 16) / 0xFFFFFFFF


def own_country(code):
    o = OFFICE_KIND[code]
    return o["countries"][0] if o["kind"] == "country" else None


def splits(office, ind, total, how, values):
    """[(category, value)] for one people value; each disaggregation adds up to the total."""
    disaggs = IND[ind].get("disaggregations", [])
    if how is None:
        how = "sa" if "age" in disaggs else "s"
    out = []
    if isinstance(how, dict):
        fem = how["female"]
        return [("female", fem), ("male", total - fem)]
    if "s" in how and "sex" in disaggs:
        if ind == "4.1.b" and "4.1.c" in values:
            fem = round(total * values["4.1.c"] / 100)
        elif ind in ("2.3.b", "4.3.b"):
            fem = round(total * (0.30 + 0.15 * frac(office, ind, "f")))
        else:
            fem = round(total * (0.50 + 0.06 * frac(office, ind, "f")))
        out += [("female", fem), ("male", total - fem)]
    if "a" in how and "age" in disaggs:
        if ind == "4.1.b":
            shares = [0.04 + 0.04 * frac(office, ind, "a0"), 0.20 + 0.08 * frac(office, ind, "a1"),
                      None, 0.05 + 0.04 * frac(office, ind, "a3")]
        else:
            shares = [0.34 + 0.08 * frac(office, ind, "a0"), 0.17 + 0.04 * frac(office, ind, "a1"),
                      None, 0.03 + 0.02 * frac(office, ind, "a3")]
        y0, y15, y65 = (round(total * shares[0]), round(total * shares[1]), round(total * shares[3]))
        out += [("y0_14", y0), ("y15_24", y15), ("y25_64", total - y0 - y15 - y65), ("y65p", y65)]
    return out


def value_list(o):
    """The office's values as rbm JSON value objects."""
    vals = []
    for key, v in o["values"].items():
        ind, _, country = key.partition("@")
        meta = IND[ind]
        if isinstance(v, list):
            for city in v:
                vals.append({"indicator": ind, "city": city, "value": 1})
            continue
        base = {"indicator": ind}
        if country:
            base["country"] = country
        vals.append(dict(base, value=v))
        if meta["unit"] == "people":
            for cat, x in splits(o["code"], ind, v, o["dis"].get(ind), o["values"]):
                vals.append(dict(base, category=cat, value=x))
    return vals


def outcome_list(o):
    outs = []
    own = own_country(o["code"])
    for n in o["outcomes"]:
        x = {"outcome": n["outcome"], "narrative": n["narrative"], "lang": n["lang"]}
        countries = n["countries"] if n["countries"] is not None else ([own] if own else [])
        if countries:
            x["countries"] = countries
        for k in ("cities", "programmes", "themes"):
            if n[k]:
                x[k] = n[k]
        outs.append(x)
    return outs


def sub_uuid(code):
    return str(uuid.uuid5(NS, "rbm-sample-%d-%s" % (CYCLE, code)))


def json_submission(o, when=None):
    return {"uuid": sub_uuid(o["code"]), "cycle": CYCLE, "office": o["code"],
            "submitted_at": when or o["when"], "status": "submitted",
            "values": value_list(o), "outcomes": outcome_list(o)}


def write_json(path, subs, comment):
    doc = {"_comment": comment, "rbm_submissions": 1, "submissions": subs}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


def qname(code):
    return code.replace(".", "_")


def kobo_header():
    """Question columns of the generated form, with KoBo group paths d_N/o_N_M/..."""
    cols = ["start", "end", "today", "rbm_office", "rbm_cycle"]
    split = {}  # column -> (question, choice)
    kobo_countries = sorted(own_country(o["code"]) for o in OFFICES if o["fmt"] == "b")
    for d in PLAN_JSON["domains"]:
        for oc in d["outcomes"]:
            g = "d_%s/o_%s" % (d["code"], qname(oc["code"]))
            for i in oc.get("indicators", []):
                q = "v_" + qname(i["code"])
                cols.append("%s/%s" % (g, q))
                for dg in i.get("disaggregations", []):
                    for cat in CATS[dg]:
                        cols.append("%s/%s__%s" % (g, q, cat))
            o = "o_" + qname(oc["code"])
            for suffix in ("narrative", "lang", "countries"):
                cols.append("%s/%s_%s" % (g, o, suffix))
            if oc["code"] == "1.1":
                for c in kobo_countries:
                    col = "%s/%s_countries/%s" % (g, o, c)
                    cols.append(col)
                    split[col] = ("%s_countries" % o, c)
            cols.append("%s/%s_cities" % (g, o))
            cols.append("%s/%s_programmes" % (g, o))
            for p in PLAN_JSON["programmes"]:
                col = "%s/%s_programmes/%s" % (g, o, p["code"])
                cols.append(col)
                split[col] = ("%s_programmes" % o, p["code"])
            cols.append("%s/%s_themes" % (g, o))
            for t in PLAN_JSON["themes"]:
                col = "%s/%s_themes/%s" % (g, o, t["code"])
                cols.append(col)
                split[col] = ("%s_themes" % o, t["code"])
    cols += ["__version__", "meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status",
             "_notes", "_status", "_submitted_by", "_tags", "_index"]
    return cols, split


def local_times(o, i):
    """start and end of the form session as KoBo records them (here in UTC): end is the submission."""
    when = o["when"]  # YYYY-MM-DDTHH:MM:SSZ
    day, hh, mm = when[:10], int(when[11:13]), int(when[14:16])
    sm = max(hh * 60 + mm - (40 + int(frac(o["code"], "dur") * 90)), 0)
    return ("%sT%02d:%02d:%02d.%03d+00:00" % (day, sm // 60, sm % 60, 11 + i % 40, (i * 37) % 1000),
            "%sT%02d:%02d:00.%03d+00:00" % (day, hh, mm, (i * 53) % 1000))


def kobo_row(o, i, cols, split):
    row = dict.fromkeys(cols, "")
    code = o["code"]
    start, end = local_times(o, i)
    row.update({"start": start, "end": end, "today": o["when"][:10], "rbm_office": code,
                "rbm_cycle": str(CYCLE)})
    by_q = {}
    for v in value_list(o):
        meta = IND[v["indicator"]]
        q = "v_" + qname(v["indicator"])
        g = "d_%s/o_%s" % (meta["domain"], qname(meta["outcome"]))
        if "city" in v:
            by_q.setdefault("%s/%s" % (g, q), []).append(v["city"])
            continue
        col = "%s/%s%s" % (g, q, "__" + v["category"] if "category" in v else "")
        x = v["value"]
        row[col] = str(int(x)) if float(x).is_integer() else repr(x)
    for col, cities in by_q.items():
        row[col] = " ".join(cities)
    for n in outcome_list(o):
        meta_d = n["outcome"].split(".")[0]
        g = "d_%s/o_%s" % (meta_d, qname(n["outcome"]))
        o_ = "o_" + qname(n["outcome"])
        row["%s/%s_narrative" % (g, o_)] = n["narrative"]
        row["%s/%s_lang" % (g, o_)] = n["lang"]
        row["%s/%s_cities" % (g, o_)] = " ".join(n.get("cities", []))
        chosen = {"%s_countries" % o_: n.get("countries", []),
                  "%s_programmes" % o_: n.get("programmes", []),
                  "%s_themes" % o_: n.get("themes", [])}
        for q, codes in chosen.items():
            has_split = any(sq == q for sq, _ in split.values())
            # Offices exported with "separate columns" only: the single column stays empty.
            if not (o["split_cols"] and has_split):
                row["%s/%s" % (g, q)] = " ".join(codes)
    # split 0/1 columns: 1 for the choices made, 0 for the others (blank for unanswered outcomes)
    answered = {"o_" + qname(n["outcome"]): n for n in outcome_list(o)}
    for col, (q, choice) in split.items():
        base = q.rsplit("_", 1)[0]
        n = answered.get(base)
        if n is None:
            continue
        kind = q.rsplit("_", 1)[1]
        row[col] = "1" if choice in n.get(kind, []) else "0"
    uid = sub_uuid(code)
    row.update({"__version__": "vRbm2021%s" % hashlib.sha1(code.encode()).hexdigest()[:6],
                "meta/instanceID": "uuid:" + uid, "_id": str(118400000 + 137 * i + int(frac(code) * 97)),
                "_uuid": uid, "_submission_time": o["when"][:19], "_validation_status": "",
                "_notes": "", "_status": "submitted_via_web", "_submitted_by": code.lower() + "_focal_point",
                "_tags": "", "_index": str(i + 1)})
    return row


def main():
    by_fmt = {"hq": [], "a": [], "b": []}
    for o in OFFICES:
        by_fmt[o["fmt"]].append(o)
    note = ("Illustrative sample data written by the rbm project for reporting cycle 2021; not UN-Habitat data. "
            "Generated by generate.py; see README.md.")
    write_json(os.path.join(HERE, "submissions-hq-regional.json"),
               [json_submission(o) for o in by_fmt["hq"]], note)
    write_json(os.path.join(HERE, "submissions-countries-a.json"),
               [json_submission(o) for o in by_fmt["a"]], note)
    cols, split = kobo_header()
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\r\n")
    w.writeheader()
    for i, o in enumerate(by_fmt["b"]):
        w.writerow(kobo_row(o, i, cols, split))
    with open(os.path.join(HERE, "kobo-export-countries-b.csv"), "w", encoding="utf-8-sig", newline="") as f:
        f.write(buf.getvalue())
    # returns and corrections
    byc = {o["code"]: o for o in OFFICES}
    corrected = []
    with open(os.path.join(HERE, "returns.tsv"), "w", encoding="utf-8") as f:
        f.write("office\tuuid\treturned_at\tcomment\n")
        for code, at, comment, fixed_at, fix in RETURNS:
            f.write("%s\t%s\t%s\t%s\n" % (code, sub_uuid(code), at, comment))
            o = copy.deepcopy(byc[code])
            fix(o)
            corrected.append(json_submission(o, fixed_at))
    write_json(os.path.join(HERE, "corrections.json"), corrected,
               note + " Corrected versions of the submissions listed in returns.tsv (same uuids).")
    summary(byc)


def summary(byc):
    """Prints the headline figures of the final (corrected) data, for a quick check."""
    final = {}
    for o in OFFICES:
        final[o["code"]] = copy.deepcopy(o)
    for code, _, _, _, fix in RETURNS:
        fix(final[code])
    tot, countries, b_countries = 0, set(), set()
    per_ind = {}
    for o in final.values():
        own = own_country(o["code"])
        for v in value_list(o):
            c = v.get("country") or (CITY_COUNTRY.get(v.get("city")) if v.get("city") else own)
            ind = v["indicator"]
            if "category" in v:
                continue
            meta = IND[ind]
            acc = per_ind.setdefault(ind, {"sum": 0, "n": 0, "units": set()})
            acc["sum"] += v["value"]
            acc["n"] += 1
            if meta["aggregation"] == "count_units" and v["value"] > 0:
                acc["units"].add(v.get("city") or c)
            if ind == "1.1.a" and v["value"] > 0:
                tot += v["value"]
                countries.add(c)
            if ind == "1.1.b" and v["value"] > 0:
                b_countries.add(c)
    print("1.1.a total %d in %d countries; 1.1.b %d countries; same set: %s" %
          (tot, len(countries), len(b_countries), countries == b_countries), file=sys.stderr)
    for ind in sorted(per_ind, key=lambda s: [int(x) if x.isdigit() else x for x in s.split(".")]):
        a = per_ind[ind]
        meta = IND[ind]
        agg = meta["aggregation"]
        fig = (len(a["units"]) if agg == "count_units" else a["sum"] / a["n"] if agg == "mean" else
               max(1, a["sum"]) if agg == "max" else a["sum"])
        print("  %-6s %-12s %10.1f   target 2021: %s" % (ind, agg, fig, meta["targets"].get("2021")),
              file=sys.stderr)


if __name__ == "__main__":
    main()
