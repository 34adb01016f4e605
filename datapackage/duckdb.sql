-- gcm-open-compendio-2022: every table of the package, typed, keyed and described.
-- In the package folder: duckdb gcm-open-compendio-2022.duckdb < duckdb.sql

CREATE TABLE "objectives" (
  "objective_id" BIGINT NOT NULL,
  "title_es" VARCHAR NOT NULL,
  "title_en" VARCHAR NOT NULL,
  "short_title_en" VARCHAR NOT NULL,
  "printed_title_federal_es" VARCHAR,
  "printed_title_state_es" VARCHAR,
  PRIMARY KEY ("objective_id")
);
INSERT INTO "objectives" ("objective_id", "title_es", "title_en", "short_title_en", "printed_title_federal_es", "printed_title_state_es")
  SELECT "objective_id", "title_es", "title_en", "short_title_en", "printed_title_federal_es", "printed_title_state_es" FROM read_parquet('data/objectives.parquet');
COMMENT ON TABLE "objectives" IS 'The 23 objectives of the Global Compact for Safe, Orderly and Regular Migration, with their official titles and the titles as printed in the compendium where they differ. / Los 23 objetivos del Pacto Mundial para la Migración Segura, Ordenada y Regular, con sus títulos oficiales y los títulos impresos en el compendio cuando difieren.';
COMMENT ON COLUMN "objectives"."objective_id" IS 'Number of the objective in the Global Compact. / Número del objetivo en el Pacto Mundial.';
COMMENT ON COLUMN "objectives"."title_es" IS 'Official Spanish title of the objective. / Título oficial del objetivo en español.';
COMMENT ON COLUMN "objectives"."title_en" IS 'Official English title of the objective. / Título oficial del objetivo en inglés.';
COMMENT ON COLUMN "objectives"."short_title_en" IS 'Short English label for charts and tables. / Etiqueta corta en inglés para gráficas y tablas.';
COMMENT ON COLUMN "objectives"."printed_title_federal_es" IS 'Title as printed in the page header of the federal section, where it differs from the official title (ignoring spacing and a final period); empty otherwise. / Título tal como se imprime en el encabezado de página de la sección federal, cuando difiere del oficial (sin contar espacios ni punto final); vacío en otro caso.';
COMMENT ON COLUMN "objectives"."printed_title_state_es" IS 'Title as printed in the page header of the state section, where it differs from the official title (ignoring spacing and a final period); empty otherwise. / Título tal como se imprime en el encabezado de página de la sección estatal, cuando difiere del oficial (sin contar espacios ni punto final); vacío en otro caso.';

CREATE TABLE "states" (
  "state_code" VARCHAR NOT NULL,
  "inegi_code" VARCHAR NOT NULL,
  "name_es" VARCHAR NOT NULL,
  "in_annex_2022" BOOLEAN NOT NULL,
  PRIMARY KEY ("state_code")
);
INSERT INTO "states" ("state_code", "inegi_code", "name_es", "in_annex_2022")
  SELECT "state_code", "inegi_code", "name_es", "in_annex_2022" FROM read_parquet('data/states.parquet');
COMMENT ON TABLE "states" IS 'The 32 federal entities of Mexico (ISO 3166-2:MX from pycountry) with their INEGI codes, and whether the 2022 compendium lists them among the states that took part. / Las 32 entidades federativas de México (ISO 3166-2:MX según pycountry) con su clave INEGI, y si el compendio 2022 las lista entre las que participaron.';
COMMENT ON COLUMN "states"."state_code" IS 'ISO 3166-2 code. / Clave ISO 3166-2.';
COMMENT ON COLUMN "states"."inegi_code" IS 'Two-digit INEGI code of the federal entity. / Clave INEGI de dos dígitos de la entidad federativa.';
COMMENT ON COLUMN "states"."name_es" IS 'Name as INEGI gives it. / Nombre según el INEGI.';
COMMENT ON COLUMN "states"."in_annex_2022" IS 'Whether the annex of the 2022 compendium lists the state among those that took part. / Si el anexo del compendio 2022 lista a la entidad entre las que participaron.';

CREATE TABLE "countries" (
  "country_code" VARCHAR NOT NULL,
  "alpha_2" VARCHAR NOT NULL,
  "name_en" VARCHAR NOT NULL,
  "name_es" VARCHAR NOT NULL,
  PRIMARY KEY ("country_code")
);
INSERT INTO "countries" ("country_code", "alpha_2", "name_en", "name_es")
  SELECT "country_code", "alpha_2", "name_en", "name_es" FROM read_parquet('data/countries.parquet');
COMMENT ON TABLE "countries" IS 'Countries other than Mexico that the practices refer to, with ISO 3166-1 codes and names from pycountry. / Países distintos de México a los que se refieren las prácticas, con claves ISO 3166-1 y nombres según pycountry.';
COMMENT ON COLUMN "countries"."country_code" IS 'ISO 3166-1 alpha-3 code. / Clave ISO 3166-1 alfa-3.';
COMMENT ON COLUMN "countries"."alpha_2" IS 'ISO 3166-1 alpha-2 code. / Clave ISO 3166-1 alfa-2.';
COMMENT ON COLUMN "countries"."name_en" IS 'English name (pycountry''s common name where it has one). / Nombre en inglés (el nombre común de pycountry cuando lo tiene).';
COMMENT ON COLUMN "countries"."name_es" IS 'Spanish name from pycountry''s Spanish locale. / Nombre en español según la traducción al español de pycountry.';

CREATE TABLE "populations" (
  "population_id" VARCHAR NOT NULL,
  "label_es" VARCHAR NOT NULL,
  "label_en" VARCHAR NOT NULL,
  "definition_es" VARCHAR NOT NULL,
  "definition_en" VARCHAR NOT NULL,
  PRIMARY KEY ("population_id")
);
INSERT INTO "populations" ("population_id", "label_es", "label_en", "definition_es", "definition_en")
  SELECT "population_id", "label_es", "label_en", "definition_es", "definition_en" FROM read_parquet('data/populations.parquet');
COMMENT ON TABLE "populations" IS 'The controlled vocabulary of target populations. The terms that tag practices with each population are published with gcm-open (data/reference/population_terms.csv). / El vocabulario controlado de poblaciones objetivo. Los términos que asignan cada población a las prácticas se publican con gcm-open (data/reference/population_terms.csv).';
COMMENT ON COLUMN "populations"."population_id" IS 'Identifier of the population. / Identificador de la población.';
COMMENT ON COLUMN "populations"."label_es" IS 'Spanish label. / Etiqueta en español.';
COMMENT ON COLUMN "populations"."label_en" IS 'English label. / Etiqueta en inglés.';
COMMENT ON COLUMN "populations"."definition_es" IS 'Spanish definition. / Definición en español.';
COMMENT ON COLUMN "populations"."definition_en" IS 'English definition. / Definición en inglés.';

CREATE TABLE "practices" (
  "practice_id" VARCHAR NOT NULL,
  "edition" BIGINT NOT NULL,
  "section" ENUM('federal', 'state') NOT NULL,
  "objective_id" BIGINT NOT NULL,
  "number" BIGINT NOT NULL,
  "title" VARCHAR NOT NULL,
  "lead_label" VARCHAR NOT NULL,
  "state_code" VARCHAR,
  "description" VARCHAR NOT NULL,
  "results" VARCHAR,
  "challenges" VARCHAR,
  "challenges_reported" BOOLEAN NOT NULL,
  "page_start" BIGINT NOT NULL,
  "page_end" BIGINT NOT NULL,
  "line_start" BIGINT NOT NULL,
  "line_end" BIGINT NOT NULL,
  PRIMARY KEY ("practice_id"),
  FOREIGN KEY ("objective_id") REFERENCES "objectives" ("objective_id"),
  FOREIGN KEY ("state_code") REFERENCES "states" ("state_code")
);
INSERT INTO "practices" ("practice_id", "edition", "section", "objective_id", "number", "title", "lead_label", "state_code", "description", "results", "challenges", "challenges_reported", "page_start", "page_end", "line_start", "line_end")
  SELECT "practice_id", "edition", "section", "objective_id", "number", "title", "lead_label", "state_code", "description", "results", "challenges", "challenges_reported", "page_start", "page_end", "line_start", "line_end" FROM read_parquet('data/practices.parquet');
COMMENT ON TABLE "practices" IS 'One row per program, action or good practice printed in the compendium, placed in its section and GCM objective. / Una fila por programa, acción o buena práctica impresa en el compendio, ubicada en su sección y objetivo del PMM.';
COMMENT ON COLUMN "practices"."practice_id" IS 'Stable readable id: edition, section letter (F federal, S state), objective and number as printed, e.g. 2022-F-07-04. / Identificador estable y legible: edición, letra de sección (F federal, S estatal), objetivo y número impreso, p. ej. 2022-F-07-04.';
COMMENT ON COLUMN "practices"."edition" IS 'Year of the compendium edition. / Año de la edición del compendio.';
COMMENT ON COLUMN "practices"."section" IS 'Section of the compendium: federal bodies or state governments. / Sección del compendio: dependencias federales o gobiernos estatales.';
COMMENT ON COLUMN "practices"."objective_id" IS 'Number of the Global Compact for Migration objective (1-23) the practice is reported under. / Número del objetivo del Pacto Mundial para la Migración (1-23) bajo el que se reporta la práctica.';
COMMENT ON COLUMN "practices"."number" IS 'Number of the practice as printed; numbering restarts at 1 in every objective of every section. / Número de la práctica tal como se imprime; la numeración reinicia en 1 en cada objetivo de cada sección.';
COMMENT ON COLUMN "practices"."title" IS 'Title as printed, without its number and without the trailing actor parenthetical; wrapped lines joined by single spaces. / Título tal como se imprime, sin su número ni el paréntesis final del actor; líneas unidas con un espacio.';
COMMENT ON COLUMN "practices"."lead_label" IS 'The actor that reports the practice, as printed after the title (usually in parentheses): an acronym, a combined label such as UPMRIP-SEGOB-SRE, or a state. / El actor que reporta la práctica, tal como se imprime tras el título (normalmente entre paréntesis): una sigla, una etiqueta combinada como UPMRIP-SEGOB-SRE o un estado.';
COMMENT ON COLUMN "practices"."state_code" IS 'ISO 3166-2 code of the state government that implements a practice of the state section; empty in the federal section. / Clave ISO 3166-2 del gobierno estatal que implementa una práctica de la sección estatal; vacía en la sección federal.';
COMMENT ON COLUMN "practices"."description" IS 'Text between the title and the Resultados heading; paragraphs and list items separated by newlines. / Texto entre el título y el encabezado Resultados; párrafos y elementos de lista separados por saltos de línea.';
COMMENT ON COLUMN "practices"."results" IS 'Text under the Resultados heading; empty when the practice has no such heading. / Texto bajo el encabezado Resultados; vacío cuando la práctica no lo tiene.';
COMMENT ON COLUMN "practices"."challenges" IS 'Text under the Retos heading; empty when the practice has no such heading. / Texto bajo el encabezado Retos; vacío cuando la práctica no lo tiene.';
COMMENT ON COLUMN "practices"."challenges_reported" IS 'False when the practice has no Retos section or it says that none were reported ("No se reportaron retos" and variants). / Falso cuando la práctica no tiene sección de Retos o esta dice que no se reportaron ("No se reportaron retos" y variantes).';
COMMENT ON COLUMN "practices"."page_start" IS 'PDF page where the practice starts. From the text extraction it is counted from the printed page numbers that survive in it. / Página del PDF donde empieza la práctica. Desde la extracción de texto se cuenta a partir de los números de página impresos que conserva.';
COMMENT ON COLUMN "practices"."page_end" IS 'PDF page where the practice ends. / Página del PDF donde termina la práctica.';
COMMENT ON COLUMN "practices"."line_start" IS 'Line of the source text where the practice header starts (1-based). / Línea del texto fuente donde empieza el encabezado de la práctica (desde 1).';
COMMENT ON COLUMN "practices"."line_end" IS 'Last non-blank line of the source text that belongs to the practice. / Última línea no vacía del texto fuente que pertenece a la práctica.';

-- institutions.parent_id refers to institutions itself: not declared here, checked by gcm-open validate.
CREATE TABLE "institutions" (
  "institution_id" VARCHAR NOT NULL,
  "name_es" VARCHAR NOT NULL,
  "kind" ENUM('federal', 'state', 'municipal', 'autonomous', 'legislative', 'judicial', 'international', 'foreign', 'civil society', 'academic', 'private') NOT NULL,
  "parent_id" VARCHAR,
  "state_code" VARCHAR,
  "in_glossary" BOOLEAN NOT NULL,
  "glossary_name" VARCHAR,
  "source" VARCHAR NOT NULL,
  PRIMARY KEY ("institution_id"),
  FOREIGN KEY ("state_code") REFERENCES "states" ("state_code")
);
INSERT INTO "institutions" ("institution_id", "name_es", "kind", "parent_id", "state_code", "in_glossary", "glossary_name", "source")
  SELECT "institution_id", "name_es", "kind", "parent_id", "state_code", "in_glossary", "glossary_name", "source" FROM read_parquet('data/institutions.parquet');
COMMENT ON TABLE "institutions" IS 'Public bodies and organisations that lead practices or are named in them. Names come from the compendium''s annex glossary where it lists the body, otherwise from gcm-open''s curated reference data, each row with its source. / Dependencias y organizaciones que encabezan prácticas o se nombran en ellas. Los nombres vienen del glosario anexo del compendio cuando lista a la institución y, si no, de los datos de referencia curados de gcm-open, cada fila con su fuente.';
COMMENT ON COLUMN "institutions"."institution_id" IS 'Canonical acronym (or a readable id for bodies without one, e.g. GOB-MX-CHP for a state government, GOB-USA for a country''s government named as Mexico''s partner). / Sigla canónica (o un identificador legible para instituciones sin sigla, p. ej. GOB-MX-CHP para un gobierno estatal, GOB-USA para el gobierno de un país nombrado como socio de México).';
COMMENT ON COLUMN "institutions"."name_es" IS 'Full Spanish name. / Nombre completo en español.';
COMMENT ON COLUMN "institutions"."kind" IS 'Kind of body. / Tipo de institución.';
COMMENT ON COLUMN "institutions"."parent_id" IS 'The body it belongs to or is sectorized in (e.g. UPMRIP -> SEGOB, SNE -> STPS, IME -> SRE); empty when independent or unknown. / La institución a la que pertenece o en la que está sectorizada (p. ej. UPMRIP -> SEGOB); vacío si es independiente o se desconoce.';
COMMENT ON COLUMN "institutions"."state_code" IS 'ISO 3166-2 code of the state, for state and municipal bodies; empty for a row that stands for the bodies of every state or municipality (ESTATALES-FGE, the states'' prosecutors'' offices; MUNICIPALES-DIF), which practices name as a group. / Clave ISO 3166-2 del estado, para instituciones estatales y municipales; vacía en una fila que representa a las de todos los estados o municipios (ESTATALES-FGE, las fiscalías estatales; MUNICIPALES-DIF), que las prácticas nombran en conjunto.';
COMMENT ON COLUMN "institutions"."in_glossary" IS 'Whether the compendium''s annex glossary lists the body. / Si el glosario anexo del compendio lista a la institución.';
COMMENT ON COLUMN "institutions"."glossary_name" IS 'The name exactly as the glossary prints it. / El nombre tal como lo imprime el glosario.';
COMMENT ON COLUMN "institutions"."source" IS 'Where the row''s facts (kind, parent) come from. / De dónde vienen los datos de la fila (tipo, institución superior).';

CREATE TABLE "practice_states" (
  "practice_id" VARCHAR NOT NULL,
  "state_code" VARCHAR NOT NULL,
  "relation" ENUM('lead', 'mentioned') NOT NULL,
  "mentions" BIGINT NOT NULL,
  "evidence" VARCHAR NOT NULL,
  "line_no" BIGINT NOT NULL,
  PRIMARY KEY ("practice_id", "state_code", "relation"),
  FOREIGN KEY ("practice_id") REFERENCES "practices" ("practice_id"),
  FOREIGN KEY ("state_code") REFERENCES "states" ("state_code")
);
INSERT INTO "practice_states" ("practice_id", "state_code", "relation", "mentions", "evidence", "line_no")
  SELECT "practice_id", "state_code", "relation", "mentions", "evidence", "line_no" FROM read_parquet('data/practice_states.parquet');
COMMENT ON TABLE "practice_states" IS 'The state that implements each state practice (lead) and the states named in each practice''s text (mentioned): names, usual short forms and abbreviations, state names inside institution names, and demonyms. Bare "México" is the country and does not count. / La entidad que implementa cada práctica estatal (lead) y las entidades nombradas en el texto de cada práctica (mentioned): nombres, formas cortas y abreviaturas usuales, nombres de entidades dentro de nombres de instituciones, y gentilicios. "México" a secas es el país y no cuenta.';
COMMENT ON COLUMN "practice_states"."practice_id" IS 'The practice (practices.practice_id). / La práctica (practices.practice_id).';
COMMENT ON COLUMN "practice_states"."state_code" IS 'ISO 3166-2 code of the state. / Clave ISO 3166-2 de la entidad.';
COMMENT ON COLUMN "practice_states"."relation" IS 'lead: the implementing state of a state practice; mentioned: named in the text. / lead: entidad que implementa una práctica estatal; mentioned: nombrada en el texto.';
COMMENT ON COLUMN "practice_states"."mentions" IS 'How many times the practice''s title, description, results and challenges name the state; for the lead relation, 0 when only the lead label names it (the label is not counted). / Cuántas veces el título, la descripción, los resultados y los retos de la práctica nombran a la entidad; en la relación de responsable, 0 cuando solo la etiqueta de responsable la nombra (la etiqueta no se cuenta).';
COMMENT ON COLUMN "practice_states"."evidence" IS 'The first spelling found in the text (for a lead relation, the lead label as printed). / La primera grafía encontrada en el texto (en la relación de responsable, la etiqueta impresa).';
COMMENT ON COLUMN "practice_states"."line_no" IS 'The source line where the evidence is printed (line numbers of the compendium''s text, as in practices.line_start), so a reader can check the tag in one step. / La línea de la fuente donde está impresa la evidencia (números de línea del texto del compendio, como en practices.line_start), para comprobar la etiqueta de un vistazo.';

CREATE TABLE "practice_countries" (
  "practice_id" VARCHAR NOT NULL,
  "country_code" VARCHAR NOT NULL,
  "mentions" BIGINT NOT NULL,
  "evidence" VARCHAR NOT NULL,
  "line_no" BIGINT NOT NULL,
  PRIMARY KEY ("practice_id", "country_code"),
  FOREIGN KEY ("practice_id") REFERENCES "practices" ("practice_id"),
  FOREIGN KEY ("country_code") REFERENCES "countries" ("country_code")
);
INSERT INTO "practice_countries" ("practice_id", "country_code", "mentions", "evidence", "line_no")
  SELECT "practice_id", "country_code", "mentions", "evidence", "line_no" FROM read_parquet('data/practice_countries.parquet');
COMMENT ON TABLE "practice_countries" IS 'Countries other than Mexico named in each practice: names in English and Spanish, Spanish forms and abbreviations used in Mexico (Estados Unidos, EUA, EE.UU.) and demonyms (guatemaltecos, hondureña, haitianos). Regions are not countries; names of organisations (Cooperación Alemana) do not count. / Países distintos de México nombrados en cada práctica: nombres en inglés y español, formas y abreviaturas usadas en México (Estados Unidos, EUA, EE.UU.) y gentilicios (guatemaltecos, hondureña, haitianos). Las regiones no son países; los nombres de organizaciones (Cooperación Alemana) no cuentan.';
COMMENT ON COLUMN "practice_countries"."practice_id" IS 'The practice (practices.practice_id). / La práctica (practices.practice_id).';
COMMENT ON COLUMN "practice_countries"."country_code" IS 'ISO 3166-1 alpha-3 code. / Clave ISO 3166-1 alfa-3.';
COMMENT ON COLUMN "practice_countries"."mentions" IS 'How many times the practice''s text names the country. / Cuántas veces el texto de la práctica nombra al país.';
COMMENT ON COLUMN "practice_countries"."evidence" IS 'The first spelling found in the text (for a lead relation, the lead label as printed). / La primera grafía encontrada en el texto (en la relación de responsable, la etiqueta impresa).';
COMMENT ON COLUMN "practice_countries"."line_no" IS 'The source line where the evidence is printed (line numbers of the compendium''s text, as in practices.line_start), so a reader can check the tag in one step. / La línea de la fuente donde está impresa la evidencia (números de línea del texto del compendio, como en practices.line_start), para comprobar la etiqueta de un vistazo.';

CREATE TABLE "practice_populations" (
  "practice_id" VARCHAR NOT NULL,
  "population_id" VARCHAR NOT NULL,
  "mentions" BIGINT NOT NULL,
  "evidence" VARCHAR NOT NULL,
  "basis" ENUM('target', 'reached') NOT NULL,
  "line_no" BIGINT NOT NULL,
  PRIMARY KEY ("practice_id", "population_id"),
  FOREIGN KEY ("practice_id") REFERENCES "practices" ("practice_id"),
  FOREIGN KEY ("population_id") REFERENCES "populations" ("population_id")
);
INSERT INTO "practice_populations" ("practice_id", "population_id", "mentions", "evidence", "basis", "line_no")
  SELECT "practice_id", "population_id", "mentions", "evidence", "basis", "line_no" FROM read_parquet('data/practice_populations.parquet');
COMMENT ON TABLE "practice_populations" IS 'Populations each practice names, found by the phrases of the vocabulary on the words'' lemmas (any gender and number; accents ignored; acronyms such as NNA as written; phrases with slots for what the text says in many ways, e.g. a Mexican community settled in the United States), with the names of bodies, laws, events and programmes left out (programme names count in the title). Rule: basis is target when the title, description or challenges name the population (whom the practice is for), reached when only the results name it (head counts of those attended); filter on basis = target for whom practices serve. / Poblaciones que nombra cada práctica, encontradas por las frases del vocabulario sobre los lemas de las palabras (cualquier género y número; sin distinguir acentos; siglas como NNA tal como se escriben; frases con huecos para lo que el texto dice de muchas maneras, p. ej. una comunidad mexicana radicada en Estados Unidos), sin contar nombres de instituciones, leyes, eventos y programas (los nombres de programas cuentan en el título). Regla: basis es target cuando el título, la descripción o los retos nombran a la población (a quién se dirige la práctica), y reached cuando solo los resultados la nombran (conteos de personas atendidas); filtre basis = target para saber a quién sirven las prácticas.';
COMMENT ON COLUMN "practice_populations"."practice_id" IS 'The practice (practices.practice_id). / La práctica (practices.practice_id).';
COMMENT ON COLUMN "practice_populations"."population_id" IS 'The population. / La población.';
COMMENT ON COLUMN "practice_populations"."mentions" IS 'How many times phrases of the population appear in the practice''s text, results included. / Cuántas veces aparecen frases de la población en el texto de la práctica, resultados incluidos.';
COMMENT ON COLUMN "practice_populations"."evidence" IS 'The words that name the population where it is first named (in a part that names the target, for a target). / Las palabras que nombran a la población donde se nombra por primera vez (en una parte que nombra al público objetivo, si es target).';
COMMENT ON COLUMN "practice_populations"."basis" IS 'Why the practice is tagged: target, when its title, description or challenges name the population, or a sentence of its results says the practice is for it ("aplica a", "dirigido a", "en beneficio de", "para" right before the group, a clause of purpose: "Para garantizar ...", "con el objetivo de atender a ..."), with no count of people or share before the group in it (a count of things, a year, a date or a duration counts no one); reached, when its results only count it (people counted among those attended, not the group the practice is for). / Por qué se etiqueta la práctica: target, cuando su título, descripción o retos nombran a la población, o una oración de sus resultados dice que la práctica se dirige a ella ("aplica a", "dirigido a", "en beneficio de", "para" justo antes del grupo, una cláusula de propósito: "Para garantizar ...", "con el objetivo de atender a ..."), sin un conteo de personas o una proporción antes del grupo en ella (un conteo de cosas, un año, una fecha o una duración no cuentan a nadie); reached, cuando sus resultados solo la cuentan (personas contadas entre las atendidas, no el grupo al que se dirige la práctica).';
COMMENT ON COLUMN "practice_populations"."line_no" IS 'The source line where the evidence is printed (line numbers of the compendium''s text, as in practices.line_start), so a reader can check the tag in one step. / La línea de la fuente donde está impresa la evidencia (números de línea del texto del compendio, como en practices.line_start), para comprobar la etiqueta de un vistazo.';

CREATE TABLE "footnotes" (
  "number" BIGINT NOT NULL,
  "text" VARCHAR NOT NULL,
  "page" BIGINT NOT NULL,
  "line" BIGINT NOT NULL,
  "marker_line" BIGINT,
  "practice_id" VARCHAR,
  PRIMARY KEY ("number"),
  FOREIGN KEY ("practice_id") REFERENCES "practices" ("practice_id")
);
INSERT INTO "footnotes" ("number", "text", "page", "line", "marker_line", "practice_id")
  SELECT "number", "text", "page", "line", "marker_line", "practice_id" FROM read_parquet('data/footnotes.parquet');
COMMENT ON TABLE "footnotes" IS 'The footnotes of the compendium, numbered as printed, with the practice where their marker sits. / Las notas al pie del compendio, numeradas como se imprimen, con la práctica donde está su llamada.';
COMMENT ON COLUMN "footnotes"."number" IS 'Number of the footnote as printed. / Número de la nota tal como se imprime.';
COMMENT ON COLUMN "footnotes"."text" IS 'Text of the footnote, wrapped lines joined. / Texto de la nota, con las líneas unidas.';
COMMENT ON COLUMN "footnotes"."page" IS 'PDF page where the footnote is printed. / Página del PDF donde se imprime la nota.';
COMMENT ON COLUMN "footnotes"."line" IS 'Line of the source text where the footnote starts. / Línea del texto fuente donde empieza la nota.';
COMMENT ON COLUMN "footnotes"."marker_line" IS 'Line of the source text where its marker (a number glued to a word) sits. / Línea del texto fuente donde está su llamada (un número pegado a una palabra).';
COMMENT ON COLUMN "footnotes"."practice_id" IS 'The practice whose text holds the marker; empty for markers in the annexes. / La práctica cuyo texto contiene la llamada; vacío para llamadas en los anexos.';

CREATE TABLE "practice_links" (
  "practice_id" VARCHAR NOT NULL,
  "url" VARCHAR NOT NULL,
  "source" ENUM('text', 'footnote', 'link annotation') NOT NULL,
  "line_no" BIGINT NOT NULL,
  PRIMARY KEY ("practice_id", "url"),
  FOREIGN KEY ("practice_id") REFERENCES "practices" ("practice_id")
);
INSERT INTO "practice_links" ("practice_id", "url", "source", "line_no")
  SELECT "practice_id", "url", "source", "line_no" FROM read_parquet('data/practice_links.parquet');
COMMENT ON TABLE "practice_links" IS 'URLs in each practice, deduplicated: those printed in its text, and the link annotations of its pages that are not printed in it. / URL de cada práctica, sin duplicados: las impresas en su texto y las anotaciones de enlace de sus páginas que no se imprimen en él.';
COMMENT ON COLUMN "practice_links"."practice_id" IS 'The practice (practices.practice_id). / La práctica (practices.practice_id).';
COMMENT ON COLUMN "practice_links"."url" IS 'The URL as printed (trailing punctuation removed). / La URL tal como se imprime (sin la puntuación final).';
COMMENT ON COLUMN "practice_links"."source" IS 'text: printed in the practice (with a scheme, as www. or as a bare domain); footnote: printed in a footnote whose marker is in the practice; link annotation: a hyperlink of its page not printed. A printed URL cut where its line wrapped takes its page''s annotation''s whole URL. / text: impresa en la práctica (con esquema, como www. o como dominio sin más); footnote: impresa en una nota al pie cuya llamada está en la práctica; link annotation: un hipervínculo de su página que no se imprime. Una URL impresa cortada al final de la línea toma la URL completa de la anotación de su página.';
COMMENT ON COLUMN "practice_links"."line_no" IS 'The source line where the URL is printed (its footnote''s line for a footnote, the annotation''s for a link annotation). / La línea de la fuente donde está impresa la URL (la de su nota al pie, o la de la anotación de enlace).';

CREATE TABLE "practice_figures" (
  "practice_id" VARCHAR NOT NULL,
  "figure_no" BIGINT NOT NULL,
  "part" ENUM('description', 'results', 'challenges') NOT NULL,
  "value" DOUBLE NOT NULL,
  "printed" VARCHAR NOT NULL,
  "unit" VARCHAR,
  "kind" ENUM('count', 'money', 'percent', 'duration', 'other') NOT NULL,
  "currency" VARCHAR,
  "population_id" VARCHAR,
  "line_no" BIGINT NOT NULL,
  "context" VARCHAR NOT NULL,
  PRIMARY KEY ("practice_id", "figure_no"),
  FOREIGN KEY ("practice_id") REFERENCES "practices" ("practice_id"),
  FOREIGN KEY ("population_id") REFERENCES "populations" ("population_id")
);
INSERT INTO "practice_figures" ("practice_id", "figure_no", "part", "value", "printed", "unit", "kind", "currency", "population_id", "line_no", "context")
  SELECT "practice_id", "figure_no", "part", "value", "printed", "unit", "kind", "currency", "population_id", "line_no", "context" FROM read_parquet('data/practice_figures.parquet');
COMMENT ON TABLE "practice_figures" IS 'Each quantity a practice prints in its description, results or challenges, in digits or in Spanish number words, with what it counts. Years, dates and periods, times of day, ordinals and list numbers, identifiers and names holding numbers (artículo 33, COVID-19, G20, phone numbers, numbers in URLs), and footnote markers are not figures. Caution when adding them up: units differ, and practices can count the same people twice. / Cada cantidad que una práctica imprime en su descripción, resultados o retos, en cifras o con palabras, con lo que cuenta. No son cifras los años, fechas y periodos, las horas del día, los ordinales y números de lista, los identificadores y nombres con números (artículo 33, COVID-19, G20, teléfonos, números en URL) ni las llamadas de nota. Cuidado al sumarlas: las unidades difieren y las prácticas pueden contar a las mismas personas dos veces.';
COMMENT ON COLUMN "practice_figures"."practice_id" IS 'The practice (practices.practice_id). / La práctica (practices.practice_id).';
COMMENT ON COLUMN "practice_figures"."figure_no" IS 'The figure''s order of appearance in its practice: description, then results, then challenges. / El orden de la cifra en su práctica: descripción, luego resultados, luego retos.';
COMMENT ON COLUMN "practice_figures"."part" IS 'Where the figure is printed. / Dónde está impresa la cifra.';
COMMENT ON COLUMN "practice_figures"."value" IS 'The number: 42,799 -> 42799; 1.2 millones -> 1200000; tres -> 3; dos mil -> 2000; a percentage as printed (12% -> 12). / El número: 42,799 -> 42799; 1.2 millones -> 1200000; tres -> 3; dos mil -> 2000; un porcentaje tal como se imprime (12% -> 12).';
COMMENT ON COLUMN "practice_figures"."printed" IS 'The number exactly as printed, with its multiplier and currency sign (42,799; 1.2 millones; tres; $2,500,000). / El número tal como se imprime, con su multiplicador y signo de moneda (42,799; 1.2 millones; tres; $2,500,000).';
COMMENT ON COLUMN "practice_figures"."unit" IS 'What is counted or the currency, as printed, as a short noun phrase (consultas, mujeres, pesos, %, horas de capacitación); empty when the text does not say. / Lo que se cuenta o la moneda, tal como se imprime, en una frase nominal breve (consultas, mujeres, pesos, %, horas de capacitación); vacía cuando el texto no lo dice.';
COMMENT ON COLUMN "practice_figures"."kind" IS 'count, money, percent, duration (hours, days, months, years of something) or other (ages, measures). / count (conteo), money (dinero), percent (porcentaje), duration (duración) u other (edades, medidas).';
COMMENT ON COLUMN "practice_figures"."currency" IS 'ISO 4217 code of money (MXN for pesos or $ unless another currency is stated, USD for dólares); empty for other kinds. / Código ISO 4217 del dinero (MXN para pesos o $ salvo que se indique otra moneda, USD para dólares); vacío para otros tipos.';
COMMENT ON COLUMN "practice_figures"."population_id" IS 'When the counted things are people of a group of the populations vocabulary, that group (populations.population_id). / Cuando lo contado son personas de un grupo del vocabulario de poblaciones, ese grupo (populations.population_id).';
COMMENT ON COLUMN "practice_figures"."line_no" IS 'The source line where the number is printed. / La línea de la fuente donde está impreso el número.';
COMMENT ON COLUMN "practice_figures"."context" IS 'The sentence the figure is printed in, on one line (cut around the figure when longer than 480 characters). / La oración donde está impresa la cifra, en una línea (recortada alrededor de la cifra si pasa de 480 caracteres).';

CREATE TABLE "institution_aliases" (
  "alias" VARCHAR NOT NULL,
  "institution_id" VARCHAR NOT NULL,
  "match_in_text" BOOLEAN NOT NULL,
  "source" VARCHAR NOT NULL,
  PRIMARY KEY ("alias"),
  FOREIGN KEY ("institution_id") REFERENCES "institutions" ("institution_id")
);
INSERT INTO "institution_aliases" ("alias", "institution_id", "match_in_text", "source")
  SELECT "alias", "institution_id", "match_in_text", "source" FROM read_parquet('data/institution_aliases.parquet');
COMMENT ON TABLE "institution_aliases" IS 'Other spellings of institutions: the acronym forms printed in the glossary (INM/INAMI, SSA/SALUD, G.N) and curated spellings seen in the text and the lead labels. / Otras grafías de las instituciones: las siglas impresas en el glosario (INM/INAMI, SSA/SALUD, G.N) y grafías curadas vistas en el texto y en las etiquetas de responsable.';
COMMENT ON COLUMN "institution_aliases"."alias" IS 'The spelling. / La grafía.';
COMMENT ON COLUMN "institution_aliases"."institution_id" IS 'The institution it names. / La institución que nombra.';
COMMENT ON COLUMN "institution_aliases"."match_in_text" IS 'Whether the alias is looked for in the practices'' text (false for ordinary words such as SALUD). / Si el alias se busca en el texto de las prácticas (falso para palabras comunes como SALUD).';
COMMENT ON COLUMN "institution_aliases"."source" IS 'Where the alias comes from. / De dónde viene el alias.';

CREATE TABLE "practice_institutions" (
  "practice_id" VARCHAR NOT NULL,
  "institution_id" VARCHAR NOT NULL,
  "role" ENUM('lead', 'mentioned') NOT NULL,
  "mentions" BIGINT NOT NULL,
  "evidence" VARCHAR NOT NULL,
  "line_no" BIGINT NOT NULL,
  PRIMARY KEY ("practice_id", "institution_id", "role"),
  FOREIGN KEY ("practice_id") REFERENCES "practices" ("practice_id"),
  FOREIGN KEY ("institution_id") REFERENCES "institutions" ("institution_id")
);
INSERT INTO "practice_institutions" ("practice_id", "institution_id", "role", "mentions", "evidence", "line_no")
  SELECT "practice_id", "institution_id", "role", "mentions", "evidence", "line_no" FROM read_parquet('data/practice_institutions.parquet');
COMMENT ON TABLE "practice_institutions" IS 'Which institutions lead each practice (from its lead label; a combined label such as UPMRIP-SEGOB-SRE names each body) and which are named in its text (acronyms as written, names and aliases as whole words). / Qué instituciones encabezan cada práctica (según su etiqueta; una etiqueta combinada como UPMRIP-SEGOB-SRE nombra a cada institución) y cuáles se nombran en su texto (siglas tal como se escriben, nombres y alias como palabras completas).';
COMMENT ON COLUMN "practice_institutions"."practice_id" IS 'The practice (practices.practice_id). / La práctica (practices.practice_id).';
COMMENT ON COLUMN "practice_institutions"."institution_id" IS 'The institution. / La institución.';
COMMENT ON COLUMN "practice_institutions"."role" IS 'lead: named by the lead label; mentioned: named in the text. / lead: nombrada por la etiqueta de responsable; mentioned: nombrada en el texto.';
COMMENT ON COLUMN "practice_institutions"."mentions" IS 'How many times the practice''s title, description, results and challenges name the institution; for the lead relation, 0 when only the lead label names it (the label is not counted). / Cuántas veces el título, la descripción, los resultados y los retos de la práctica nombran a la institución; en la relación de responsable, 0 cuando solo la etiqueta de responsable la nombra (la etiqueta no se cuenta).';
COMMENT ON COLUMN "practice_institutions"."evidence" IS 'The first spelling found in the text (for a lead relation, the lead label as printed). / La primera grafía encontrada en el texto (en la relación de responsable, la etiqueta impresa).';
COMMENT ON COLUMN "practice_institutions"."line_no" IS 'The source line where the evidence is printed (line numbers of the compendium''s text, as in practices.line_start), so a reader can check the tag in one step. / La línea de la fuente donde está impresa la evidencia (números de línea del texto del compendio, como en practices.line_start), para comprobar la etiqueta de un vistazo.';
