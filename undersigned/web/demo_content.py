"""Demo data: the case of Julian Assange as an NGO followed it until January 2021
(texts in EN/DE/ES).
"""

from datetime import date

ORGANISATION = {"slug": "free-press-watch", "name": "Free Press Watch"}

CASE = {
    "slug": "julian-assange",
    "title": {
        "en": "Julian Assange",
        "de": "Julian Assange",
        "es": "Julian Assange",
    },
    "summary": {
        "en": (
            "Julian Assange founded WikiLeaks. Held in the United Kingdom since 2019, he faces "
            "a request from the United States to extradite him over the publication of "
            "classified documents."
        ),
        "de": (
            "Julian Assange hat WikiLeaks gegründet. Seit 2019 ist er im Vereinigten Königreich "
            "in Haft; die USA verlangen seine Auslieferung wegen der Veröffentlichung geheimer "
            "Dokumente."
        ),
        "es": (
            "Julian Assange fundó WikiLeaks. Detenido en el Reino Unido desde 2019, Estados "
            "Unidos reclama su extradición por la publicación de documentos clasificados."
        ),
    },
    "status_line": {
        "en": (
            "January 2021: a London court has refused extradition to the US. "
            "The US is appealing, and bail has been refused."
        ),
        "de": (
            "Januar 2021: Ein Londoner Gericht hat die Auslieferung an die USA abgelehnt. "
            "Die USA legen Rechtsmittel ein, eine Freilassung gegen Kaution wurde abgelehnt."
        ),
        "es": (
            "Enero de 2021: un tribunal de Londres ha denegado la extradición a EE. UU. "
            "Estados Unidos recurre y se le ha negado la libertad bajo fianza."
        ),
    },
    "story": {
        "en": (
            "**Julian Assange** founded WikiLeaks in 2006. Through the platform, classified "
            "material reached the public that documented the conduct of the wars in Afghanistan "
            "and Iraq, the treatment of prisoners at Guantanamo Bay and the inner workings of US "
            "diplomacy.\n"
            "\n"
            "In 2010 Sweden sought him over allegations of sexual offences, which he denies. "
            "Fearing that he would be handed on to the United States, he took refuge in "
            "Ecuador's embassy in London in 2012 and stayed there for almost seven years. "
            "Swedish prosecutors dropped their investigation in 2017. In 2016 the UN Working "
            "Group on Arbitrary Detention found that he was being arbitrarily detained; the "
            "United Kingdom and Sweden rejected its opinion. Background on the UN's human rights "
            "work is available from the [UN Human Rights Office (OHCHR)](https://www.ohchr.org/).\n"
            "\n"
            "After Ecuador withdrew his asylum in April 2019, British police arrested him. The "
            "United States wants him extradited to face charges that include 17 counts under the "
            "Espionage Act. Our concerns:\n"
            "\n"
            "- the prosecution is aimed at the publication of information in the public interest;\n"
            "- a conviction would create a precedent that could be used against journalists and "
            "publishers anywhere;\n"
            "- the court itself has recognised serious risks to his mental health.\n"
            "\n"
            "On 4 January 2021 a London judge refused extradition, citing his mental health and "
            "the risk of suicide in US prison conditions. The questions for press freedom remain "
            "open: the United States is appealing, bail was refused and he is back in Belmarsh "
            "prison. **Free Press Watch** will keep following the case until the charges are "
            "dropped."
        ),
        "de": (
            "**Julian Assange** gründete 2006 WikiLeaks. Über die Plattform gelangten geheime "
            "Unterlagen an die Öffentlichkeit, die die Kriegsführung in Afghanistan und im Irak, "
            "den Umgang mit Gefangenen in Guantánamo und das Innenleben der US-Diplomatie "
            "dokumentierten.\n"
            "\n"
            "2010 suchte Schweden ihn wegen Vorwürfen von Sexualdelikten, die er bestreitet. Aus "
            "Sorge, an die USA weitergereicht zu werden, flüchtete er 2012 in die Botschaft "
            "Ecuadors in London und blieb dort fast sieben Jahre. Die schwedische "
            "Staatsanwaltschaft stellte ihre Ermittlungen 2017 ein. 2016 stellte die "
            "UN-Arbeitsgruppe für willkürliche Inhaftierungen fest, dass er willkürlich "
            "festgehalten werde; das Vereinigte Königreich und Schweden wiesen diese Auffassung "
            "zurück. Hintergründe zur Menschenrechtsarbeit der Vereinten Nationen bietet das "
            "[UN-Hochkommissariat für Menschenrechte (OHCHR)](https://www.ohchr.org/).\n"
            "\n"
            "Nachdem Ecuador ihm im April 2019 das Asyl entzogen hatte, nahm ihn die britische "
            "Polizei fest. Die USA verlangen seine Auslieferung; die Anklage umfasst unter "
            "anderem 17 Punkte nach dem Spionagegesetz (Espionage Act). Unsere Bedenken:\n"
            "\n"
            "- Die Strafverfolgung richtet sich gegen die Veröffentlichung von Informationen "
            "im öffentlichen Interesse.\n"
            "- Eine Verurteilung würde einen Präzedenzfall schaffen, der überall gegen "
            "Journalistinnen, Journalisten und Verlage eingesetzt werden könnte.\n"
            "- Das Gericht selbst hat ernste Gefahren für seine psychische Gesundheit anerkannt.\n"
            "\n"
            "Am 4. Januar 2021 lehnte ein Londoner Gericht die Auslieferung ab und verwies auf "
            "seine psychische Gesundheit und die Suizidgefahr unter den Haftbedingungen in "
            "US-Gefängnissen. Die Fragen zur Pressefreiheit bleiben offen: Die USA legen "
            "Rechtsmittel ein, eine Freilassung gegen Kaution wurde abgelehnt, und er sitzt "
            "wieder im Gefängnis Belmarsh. **Free Press Watch** verfolgt den Fall weiter, bis "
            "die Anklage fallen gelassen wird."
        ),
        "es": (
            "**Julian Assange** fundó WikiLeaks en 2006. A través de la plataforma salió a la luz "
            "material clasificado que documentaba la conducción de las guerras de Afganistán e "
            "Irak, el trato a los presos de Guantánamo y el funcionamiento interno de la "
            "diplomacia estadounidense.\n"
            "\n"
            "En 2010 Suecia lo reclamó por acusaciones de delitos sexuales, que él niega. Ante "
            "el temor de ser entregado a Estados Unidos, se refugió en 2012 en la embajada de "
            "Ecuador en Londres, donde permaneció casi siete años. La fiscalía sueca archivó su "
            "investigación en 2017. En 2016, el Grupo de Trabajo de la ONU sobre la Detención "
            "Arbitraria concluyó que estaba detenido arbitrariamente; el Reino Unido y Suecia "
            "rechazaron su dictamen. La [Oficina de Derechos Humanos de la ONU "
            "(ACNUDH)](https://www.ohchr.org/) ofrece información sobre su labor.\n"
            "\n"
            "Después de que Ecuador le retirara el asilo en abril de 2019, la policía británica "
            "lo detuvo. Estados Unidos quiere juzgarlo por cargos que incluyen 17 delitos "
            "previstos en la Ley de Espionaje (Espionage Act). Nuestras preocupaciones:\n"
            "\n"
            "- la acusación persigue la publicación de información de interés público;\n"
            "- una condena sentaría un precedente que podría utilizarse contra periodistas y "
            "editores de cualquier país;\n"
            "- el propio tribunal ha reconocido graves riesgos para su salud mental.\n"
            "\n"
            "El 4 de enero de 2021, un tribunal de Londres denegó la extradición, alegando su "
            "salud mental y el riesgo de suicidio en las condiciones de las cárceles "
            "estadounidenses. Las cuestiones de fondo sobre la libertad de prensa siguen "
            "abiertas: Estados Unidos ha recurrido, se le ha negado la fianza y ha vuelto a la "
            "prisión de Belmarsh. **Free Press Watch** seguirá el caso hasta que se retiren los "
            "cargos."
        ),
    },
    "photo_alt": {
        "en": "Illustration: a stylised portrait of Julian Assange (placeholder image).",
        "de": "Illustration: ein stilisiertes Porträt von Julian Assange (Platzhalterbild).",
        "es": "Ilustración: retrato estilizado de Julian Assange (imagen provisional).",
    },
}

TIMELINE = [
    {
        "date": date(2006, 1, 1),
        "precision": "year",
        "title": {
            "en": "Julian Assange founds WikiLeaks",
            "de": "Julian Assange gründet WikiLeaks",
            "es": "Julian Assange funda WikiLeaks",
        },
        "body": {
            "en": (
                "Julian Assange sets up WikiLeaks, a platform through which sources can pass "
                "documents to the public without revealing who they are."
            ),
            "de": (
                "Julian Assange ruft WikiLeaks ins Leben, eine Plattform, über die Quellen der "
                "Öffentlichkeit Dokumente zugänglich machen können, ohne ihre Identität "
                "preiszugeben."
            ),
            "es": (
                "Julian Assange crea WikiLeaks, una plataforma a través de la cual las fuentes "
                "pueden hacer llegar documentos al público sin revelar su identidad."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2007, 11, 1),
        "precision": "month",
        "title": {
            "en": "Guantanamo camp manual published",
            "de": "Handbuch des Lagers in Guantánamo veröffentlicht",
            "es": "Se publica el manual del campo de Guantánamo",
        },
        "body": {
            "en": (
                "WikiLeaks makes public the standard operating procedures manual for Camp Delta, "
                "the US detention centre at Guantanamo Bay. The manual sets out how the camp was "
                "to be run."
            ),
            "de": (
                "WikiLeaks veröffentlicht das Handbuch mit den Standardverfahren für Camp Delta, "
                "das US-Gefangenenlager in der Guantánamo-Bucht. Es legt fest, wie das Lager zu "
                "betreiben war."
            ),
            "es": (
                "WikiLeaks hace público el manual de procedimientos operativos estándar de Camp "
                "Delta, el centro de detención estadounidense en la bahía de Guantánamo. El "
                "documento establece cómo debía gestionarse el campo."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2010, 4, 5),
        "precision": "day",
        "title": {
            "en": "Video of a 2007 helicopter attack in Baghdad released",
            "de": "Video eines Hubschrauberangriffs in Bagdad aus dem Jahr 2007 veröffentlicht",
            "es": "Se difunde el vídeo de un ataque con helicóptero en Bagdad en 2007",
        },
        "body": {
            "en": (
                "WikiLeaks publishes footage of a 2007 attack by a US helicopter in Baghdad. Two "
                "Reuters journalists and several civilians were killed."
            ),
            "de": (
                "WikiLeaks veröffentlicht Aufnahmen eines Angriffs, den ein US-Hubschrauber 2007 "
                "in Bagdad flog. Dabei wurden zwei Journalisten der Nachrichtenagentur Reuters "
                "und mehrere Zivilisten getötet."
            ),
            "es": (
                "WikiLeaks publica las imágenes de un ataque de un helicóptero estadounidense en "
                "Bagdad en 2007, en el que murieron dos periodistas de la agencia Reuters y "
                "varios civiles."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2010, 7, 1),
        "precision": "month",
        "title": {
            "en": "War logs and diplomatic cables published",
            "de": "Kriegsprotokolle und Diplomatendepeschen veröffentlicht",
            "es": "Se publican los diarios de guerra y los cables diplomáticos",
        },
        "body": {
            "en": (
                "Between July and October, WikiLeaks releases some 470,000 classified US "
                "documents on the wars in Afghanistan and Iraq. From November it goes on to "
                "publish around 250,000 diplomatic cables."
            ),
            "de": (
                "Von Juli bis Oktober veröffentlicht WikiLeaks rund 470.000 als geheim "
                "eingestufte US-Dokumente über die Kriege in Afghanistan und im Irak. Ab "
                "November folgen etwa 250.000 diplomatische Depeschen."
            ),
            "es": (
                "Entre julio y octubre, WikiLeaks difunde unos 470.000 documentos clasificados "
                "de Estados Unidos sobre las guerras de Afganistán e Irak. A partir de noviembre "
                "publica además cerca de 250.000 cables diplomáticos."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2010, 11, 1),
        "precision": "month",
        "title": {
            "en": "Swedish prosecutor obtains an arrest warrant",
            "de": "Schwedische Staatsanwaltschaft erwirkt Haftbefehl",
            "es": "La fiscalía sueca obtiene una orden de detención",
        },
        "body": {
            "en": (
                "An international arrest warrant is issued at the request of a Swedish "
                "prosecutor in connection with allegations of sexual offences, which Assange "
                "denies. In December he reports to police in London and is released on bail."
            ),
            "de": (
                "Auf Antrag der schwedischen Staatsanwaltschaft ergeht ein internationaler "
                "Haftbefehl wegen Vorwürfen von Sexualdelikten, die Assange bestreitet. Im "
                "Dezember stellt er sich in London der Polizei und kommt gegen Kaution frei."
            ),
            "es": (
                "A petición de la fiscalía sueca se dicta una orden de detención internacional "
                "por acusaciones de delitos sexuales, que Assange niega. En diciembre se "
                "presenta ante la policía en Londres y queda en libertad bajo fianza."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2011, 2, 1),
        "precision": "month",
        "title": {
            "en": "UK court approves extradition to Sweden",
            "de": "Britisches Gericht billigt Auslieferung nach Schweden",
            "es": "Un tribunal británico aprueba su extradición a Suecia",
        },
        "body": {
            "en": (
                "A British court rules that he can be extradited to Sweden. Assange fears that "
                "he could then be handed on to the United States."
            ),
            "de": (
                "Ein britisches Gericht entscheidet, dass er an Schweden ausgeliefert werden "
                "darf. Assange befürchtet, von dort an die USA weitergereicht zu werden."
            ),
            "es": (
                "Un tribunal británico autoriza su entrega a Suecia. Assange teme que desde allí "
                "pueda ser extraditado a Estados Unidos."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2011, 4, 1),
        "precision": "month",
        "title": {
            "en": "Guantanamo detainee files published",
            "de": "Akten über Guantánamo-Häftlinge veröffentlicht",
            "es": "Se publican los expedientes de los presos de Guantánamo",
        },
        "body": {
            "en": (
                "WikiLeaks starts releasing classified US files on the prisoners held at "
                "Guantanamo Bay."
            ),
            "de": (
                "WikiLeaks beginnt, als geheim eingestufte US-Akten über die in Guantánamo "
                "festgehaltenen Gefangenen zu veröffentlichen."
            ),
            "es": (
                "WikiLeaks empieza a publicar expedientes clasificados de Estados Unidos sobre "
                "los detenidos en la bahía de Guantánamo."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2012, 5, 1),
        "precision": "month",
        "title": {
            "en": "UK Supreme Court dismisses his appeal",
            "de": "Oberster Gerichtshof weist seine Berufung zurück",
            "es": "El Tribunal Supremo británico desestima su recurso",
        },
        "body": {
            "en": (
                "The highest court in the United Kingdom rejects his appeal against being "
                "extradited to Sweden."
            ),
            "de": (
                "Der Supreme Court des Vereinigten Königreichs weist seine Berufung gegen die "
                "Auslieferung nach Schweden zurück."
            ),
            "es": (
                "El Tribunal Supremo del Reino Unido rechaza su recurso contra la extradición a "
                "Suecia."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2012, 6, 19),
        "precision": "day",
        "title": {
            "en": "Assange seeks asylum at Ecuador's embassy",
            "de": "Assange sucht Zuflucht in der Botschaft Ecuadors",
            "es": "Assange se refugia en la embajada de Ecuador",
        },
        "body": {
            "en": (
                "Assange goes into the Ecuadorian embassy in London and asks for political asylum."
            ),
            "de": (
                "Assange betritt die ecuadorianische Botschaft in "
                "London und beantragt politisches Asyl."
            ),
            "es": "Assange entra en la embajada de Ecuador en Londres y solicita asilo político.",
        },
        "source_url": "",
    },
    {
        "date": date(2012, 8, 16),
        "precision": "day",
        "title": {
            "en": "Ecuador grants asylum",
            "de": "Ecuador gewährt Asyl",
            "es": "Ecuador le concede asilo",
        },
        "body": {
            "en": (
                "Ecuador grants him asylum. The United Kingdom refuses to let him travel safely "
                "to Quito, so he remains inside the embassy."
            ),
            "de": (
                "Ecuador gewährt ihm Asyl. Das Vereinigte Königreich verweigert ihm jedoch "
                "freies Geleit nach Quito, sodass er in der Botschaft bleibt."
            ),
            "es": (
                "Ecuador le concede asilo. El Reino Unido le niega un salvoconducto para viajar "
                "a Quito, por lo que permanece en la embajada."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2015, 1, 1),
        "precision": "year",
        "title": {
            "en": "Attempts to question him in the embassy fail",
            "de": "Befragung in der Botschaft kommt nicht zustande",
            "es": "Fracasan los intentos de interrogarlo en la embajada",
        },
        "body": {
            "en": (
                "Efforts by Swedish investigators to interview him inside the embassy do not "
                "succeed."
            ),
            "de": (
                "Versuche schwedischer Ermittler, ihn in der Botschaft zu befragen, bleiben "
                "erfolglos."
            ),
            "es": (
                "Los intentos de los investigadores suecos de tomarle declaración en la "
                "embajada no prosperan."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2016, 2, 5),
        "precision": "day",
        "title": {
            "en": "UN experts find his detention arbitrary",
            "de": "UN-Fachleute stufen seine Lage als willkürliche Inhaftierung ein",
            "es": "Expertos de la ONU consideran arbitraria su detención",
        },
        "body": {
            "en": (
                "The UN Working Group on Arbitrary Detention concludes that he is being "
                "arbitrarily detained. The United Kingdom and Sweden reject its opinion, which "
                "is not legally binding."
            ),
            "de": (
                "Die UN-Arbeitsgruppe für willkürliche Inhaftierungen kommt zu dem Schluss, dass "
                "er willkürlich festgehalten wird. Das Vereinigte Königreich und Schweden weisen "
                "die rechtlich nicht bindende Stellungnahme zurück."
            ),
            "es": (
                "El Grupo de Trabajo de la ONU sobre la Detención Arbitraria concluye que está "
                "detenido de forma arbitraria. El Reino Unido y Suecia rechazan el dictamen, que "
                "no es jurídicamente vinculante."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2016, 7, 1),
        "precision": "month",
        "title": {
            "en": "Democratic National Committee emails published",
            "de": "E-Mails des Nationalkomitees der Demokraten veröffentlicht",
            "es": "Se publican correos del Comité Nacional Demócrata",
        },
        "body": {
            "en": (
                "During the US presidential campaign, WikiLeaks releases some 20,000 emails from "
                "the Democratic National Committee."
            ),
            "de": (
                "Mitten im US-Präsidentschaftswahlkampf veröffentlicht WikiLeaks rund 20.000 "
                "E-Mails des Nationalkomitees der Demokratischen Partei (DNC)."
            ),
            "es": (
                "En plena campaña presidencial estadounidense, WikiLeaks publica unos 20.000 "
                "correos electrónicos del Comité Nacional Demócrata."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2017, 1, 1),
        "precision": "month",
        "title": {
            "en": "Chelsea Manning's sentence commuted",
            "de": "Haftstrafe von Chelsea Manning verkürzt",
            "es": "Se conmuta la condena de Chelsea Manning",
        },
        "body": {
            "en": (
                "Chelsea Manning's sentence is commuted. WikiLeaks says Assange could agree to "
                "extradition to the United States provided his rights were guaranteed."
            ),
            "de": (
                "Die Haftstrafe von Chelsea Manning wird verkürzt. WikiLeaks erklärt, Assange "
                "könne einer Auslieferung an die USA zustimmen, sofern seine Rechte garantiert "
                "würden."
            ),
            "es": (
                "Se conmuta la condena de Chelsea Manning. WikiLeaks afirma que Assange podría "
                "aceptar la extradición a Estados Unidos si se garantizaran sus derechos."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2017, 5, 1),
        "precision": "month",
        "title": {
            "en": "Sweden drops its investigation",
            "de": "Schweden stellt die Ermittlungen ein",
            "es": "Suecia archiva la investigación",
        },
        "body": {
            "en": (
                "Swedish prosecutors close their investigation. British police still want to "
                "arrest him for breaching his bail conditions."
            ),
            "de": (
                "Die schwedische Staatsanwaltschaft stellt ihre Ermittlungen ein. Die britische "
                "Polizei will ihn jedoch weiterhin festnehmen, weil er gegen seine "
                "Kautionsauflagen verstoßen hat."
            ),
            "es": (
                "La fiscalía sueca archiva su investigación. La policía británica, sin embargo, "
                "sigue buscándolo por haber incumplido las condiciones de su libertad bajo "
                "fianza."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2017, 12, 1),
        "precision": "month",
        "title": {
            "en": "Ecuador grants him citizenship",
            "de": "Ecuador bürgert ihn ein",
            "es": "Ecuador le otorga la nacionalidad",
        },
        "body": {
            "en": (
                "Ecuador makes him a citizen. The United Kingdom declines to recognise him as an "
                "Ecuadorian diplomat."
            ),
            "de": (
                "Ecuador verleiht ihm die Staatsbürgerschaft. Das Vereinigte Königreich lehnt es "
                "ab, ihn als ecuadorianischen Diplomaten anzuerkennen."
            ),
            "es": (
                "Ecuador le concede la ciudadanía. El Reino Unido se niega a reconocerlo como "
                "diplomático ecuatoriano."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2018, 1, 1),
        "precision": "month",
        "title": {
            "en": "Ecuador looks for a mediator",
            "de": "Ecuador sucht einen Vermittler",
            "es": "Ecuador busca un mediador",
        },
        "body": {
            "en": (
                "Describing the situation as untenable, Ecuador seeks a mediator to help bring "
                "it to an end."
            ),
            "de": (
                "Ecuador bezeichnet die Lage als unhaltbar und sucht einen Vermittler, um sie zu "
                "beenden."
            ),
            "es": (
                "Ecuador califica la situación de insostenible y busca un mediador para ponerle "
                "fin."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2018, 2, 1),
        "precision": "month",
        "title": {
            "en": "Court keeps the British arrest warrant in force",
            "de": "Gericht hält den britischen Haftbefehl aufrecht",
            "es": "Un tribunal mantiene la orden de detención británica",
        },
        "body": {
            "en": (
                "A London court turns down a request, made on health grounds, to withdraw the "
                "British warrant for his arrest."
            ),
            "de": (
                "Ein Londoner Gericht weist einen mit seiner Gesundheit begründeten Antrag "
                "zurück, den britischen Haftbefehl aufzuheben."
            ),
            "es": (
                "Un tribunal de Londres rechaza una petición, basada en su estado de salud, para "
                "anular la orden de detención británica."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2018, 3, 1),
        "precision": "month",
        "title": {
            "en": "Embassy cuts off his communications",
            "de": "Botschaft kappt seine Kommunikation",
            "es": "La embajada corta sus comunicaciones",
        },
        "body": {
            "en": (
                "The embassy cuts off his access to the internet and other means of communication."
            ),
            "de": (
                "Die Botschaft sperrt seinen Zugang zum Internet und "
                "zu anderen Kommunikationsmitteln."
            ),
            "es": "La embajada le retira el acceso a internet y a otros medios de comunicación.",
        },
        "source_url": "",
    },
    {
        "date": date(2018, 10, 1),
        "precision": "month",
        "title": {
            "en": "New house rules in the embassy",
            "de": "Neue Hausordnung in der Botschaft",
            "es": "Nuevas normas de convivencia en la embajada",
        },
        "body": {
            "en": (
                "Ecuador introduces new rules for his stay in the embassy and warns that "
                "breaking them could bring his asylum to an end."
            ),
            "de": (
                "Ecuador erlässt neue Regeln für seinen Aufenthalt in der Botschaft und warnt, "
                "dass ein Verstoß dagegen zum Ende seines Asyls führen könne."
            ),
            "es": (
                "Ecuador impone nuevas normas para su estancia en la embajada y advierte de que "
                "incumplirlas podría poner fin a su asilo."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2018, 11, 1),
        "precision": "month",
        "title": {
            "en": "Secret US charges come to light",
            "de": "Geheime US-Anklage wird bekannt",
            "es": "Sale a la luz una acusación secreta en EE. UU.",
        },
        "body": {
            "en": "A document filed in a US court reveals that he has been charged in secret.",
            "de": (
                "Aus einem Schriftsatz vor einem US-Gericht geht hervor, dass gegen ihn im "
                "Geheimen Anklage erhoben wurde."
            ),
            "es": (
                "Un escrito presentado ante un tribunal estadounidense revela que se han "
                "formulado cargos contra él en secreto."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2019, 4, 11),
        "precision": "day",
        "title": {
            "en": "Asylum withdrawn, Assange arrested",
            "de": "Asyl entzogen, Assange festgenommen",
            "es": "Retirada del asilo y detención de Assange",
        },
        "body": {
            "en": "Ecuador ends his asylum, and British police arrest him inside the embassy.",
            "de": (
                "Ecuador entzieht ihm das Asyl; die britische "
                "Polizei nimmt ihn in der Botschaft fest."
            ),
            "es": (
                "Ecuador le retira el asilo y la policía británica "
                "lo detiene dentro de la embajada."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2019, 5, 1),
        "precision": "month",
        "title": {
            "en": "17 charges added under the Espionage Act",
            "de": "17 weitere Anklagepunkte nach dem Spionagegesetz",
            "es": "Se añaden 17 cargos en virtud de la Ley de Espionaje",
        },
        "body": {
            "en": (
                "The United States brings 17 further charges against him under the Espionage Act."
            ),
            "de": (
                "Die USA erheben 17 weitere Anklagepunkte gegen ihn auf Grundlage des "
                "Spionagegesetzes (Espionage Act)."
            ),
            "es": (
                "Estados Unidos presenta 17 nuevos cargos contra él en virtud de la Ley de "
                "Espionaje (Espionage Act)."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2020, 2, 24),
        "precision": "day",
        "title": {
            "en": "Extradition hearing opens in London",
            "de": "Auslieferungsverhandlung beginnt in London",
            "es": "Comienza en Londres la vista de extradición",
        },
        "body": {
            "en": "The hearing on the US request for his extradition begins in London.",
            "de": "In London beginnt die Verhandlung über das Auslieferungsersuchen der USA.",
            "es": (
                "Arranca en Londres la vista sobre la solicitud de extradición de Estados Unidos."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2021, 1, 4),
        "precision": "day",
        "title": {
            "en": "Extradition refused",
            "de": "Auslieferung abgelehnt",
            "es": "Se deniega la extradición",
        },
        "body": {
            "en": (
                "A London judge rules against extradition to the United States, citing his "
                "mental health and the risk of suicide under US prison conditions."
            ),
            "de": (
                "Ein Londoner Gericht lehnt die Auslieferung an die USA ab. Es verweist auf "
                "seine psychische Gesundheit und die Suizidgefahr unter den Haftbedingungen in "
                "US-Gefängnissen."
            ),
            "es": (
                "Un tribunal de Londres deniega la extradición a Estados Unidos por su salud "
                "mental y el riesgo de suicidio en las condiciones de las cárceles "
                "estadounidenses."
            ),
        },
        "source_url": "",
    },
    {
        "date": date(2021, 1, 6),
        "precision": "day",
        "title": {
            "en": "Bail refused as the US appeals",
            "de": "Kaution abgelehnt, USA legen Rechtsmittel ein",
            "es": "Se deniega la fianza y EE. UU. recurre",
        },
        "body": {
            "en": (
                "The court refuses to release him on bail, and he is returned to Belmarsh "
                "high-security prison. The United States appeals the ruling."
            ),
            "de": (
                "Das Gericht lehnt eine Freilassung gegen Kaution ab; er kommt zurück in das "
                "Hochsicherheitsgefängnis Belmarsh. Die USA legen Rechtsmittel gegen die "
                "Entscheidung ein."
            ),
            "es": (
                "El tribunal le niega la libertad bajo fianza y vuelve a la prisión de alta "
                "seguridad de Belmarsh. Estados Unidos recurre la decisión."
            ),
        },
        "source_url": "",
    },
]

UPDATES = [
    {
        "date": date(2020, 2, 24),
        "title": {
            "en": "The extradition hearing opens today",
            "de": "Heute beginnt die Auslieferungsverhandlung",
            "es": "Hoy comienza la vista de extradición",
        },
        "body": {
            "en": (
                "Today the hearing on the US extradition request opens in London. Observers "
                "from our network will be in the courtroom, and we will report back to you on "
                "how it unfolds.\n"
                "\n"
                "Thank you for standing with Julian Assange. Please share the petition so that "
                "more people can add their names."
            ),
            "de": (
                "Heute beginnt in London die Verhandlung über das Auslieferungsersuchen der USA. "
                "Prozessbeobachterinnen und -beobachter aus unserem Netzwerk sind im "
                "Gerichtssaal, und wir berichten Ihnen über den Verlauf.\n"
                "\n"
                "Danke, dass Sie sich für Julian Assange einsetzen. Bitte teilen Sie die "
                "Petition, damit noch mehr Menschen unterschreiben."
            ),
            "es": (
                "Hoy se abre en Londres la vista sobre la solicitud de extradición de Estados "
                "Unidos. Observadores de nuestra red estarán en la sala y le informaremos de "
                "cómo se desarrolla.\n"
                "\n"
                "Gracias por apoyar a Julian Assange. Comparta la petición para que más personas "
                "puedan sumar su firma."
            ),
        },
    },
    {
        "date": date(2021, 1, 4),
        "title": {
            "en": "Extradition refused, but the US will appeal",
            "de": "Auslieferung abgelehnt, doch die USA gehen in Berufung",
            "es": "Extradición denegada, pero EE. UU. recurrirá",
        },
        "body": {
            "en": (
                "A London judge has refused to extradite Julian Assange to the United States, "
                "citing his mental health and the risk of suicide in US prisons. This is an "
                "important step, but the United States will appeal and the charges against him "
                "still stand.\n"
                "\n"
                "**Please keep signing and sharing the petition**: the call to drop the charges "
                "is as urgent as ever."
            ),
            "de": (
                "Ein Londoner Gericht hat die Auslieferung von Julian Assange an die USA "
                "abgelehnt und dabei auf seine psychische Gesundheit und die Suizidgefahr in "
                "US-Gefängnissen verwiesen. Das ist ein wichtiger Schritt, doch die USA werden "
                "Rechtsmittel einlegen, und die Anklage gegen ihn besteht weiter.\n"
                "\n"
                "**Bitte unterschreiben und teilen Sie die Petition weiter**: Die Forderung, die "
                "Anklage fallen zu lassen, ist so dringlich wie zuvor."
            ),
            "es": (
                "Un tribunal de Londres ha denegado la extradición de Julian Assange a Estados "
                "Unidos, alegando su salud mental y el riesgo de suicidio en las cárceles "
                "estadounidenses. Es un paso importante, pero Estados Unidos recurrirá y los "
                "cargos contra él siguen en pie.\n"
                "\n"
                "**Siga firmando y difundiendo la petición**: exigir que se retiren los cargos "
                "es tan urgente como siempre."
            ),
        },
    },
]

PETITION = {
    "slug": "together-for-julian-assange",
    "title": {
        "en": "Together for Julian Assange",
        "de": "Gemeinsam für Julian Assange",
        "es": "Juntos por Julian Assange",
    },
    "target": {
        "en": "The United States Department of Justice",
        "de": "Das Justizministerium der Vereinigten Staaten",
        "es": "El Departamento de Justicia de los Estados Unidos",
    },
    "demand": {
        "en": (
            "We call on the United States Department of Justice to **drop all charges against "
            "Julian Assange that arise from his publishing work with WikiLeaks** and to withdraw "
            "the request for his extradition.\n"
            "\n"
            "Publishing information in the public interest, including evidence of possible "
            "wrongdoing by governments, is at the heart of journalism. Prosecuting a publisher "
            "for this work would set a dangerous precedent and could deter journalists, editors "
            "and their sources around the world."
        ),
        "de": (
            "Wir fordern das Justizministerium der Vereinigten Staaten auf, **alle Anklagepunkte "
            "gegen Julian Assange fallen zu lassen, die sich aus seiner publizistischen Arbeit "
            "mit WikiLeaks ergeben**, und das Auslieferungsersuchen zurückzuziehen.\n"
            "\n"
            "Informationen im öffentlichen Interesse zu veröffentlichen, auch Belege für "
            "mögliches Fehlverhalten von Regierungen, ist der Kern journalistischer Arbeit. "
            "Einen Verleger dafür strafrechtlich zu verfolgen, würde einen gefährlichen "
            "Präzedenzfall schaffen und könnte Journalistinnen, Journalisten, Redaktionen und "
            "ihre Quellen weltweit abschrecken."
        ),
        "es": (
            "Pedimos al Departamento de Justicia de los Estados Unidos que **retire todos los "
            "cargos contra Julian Assange derivados de su labor de publicación con WikiLeaks** "
            "y que desista de la solicitud de extradición.\n"
            "\n"
            "Publicar información de interés público, incluidas las pruebas de posibles abusos "
            "por parte de los gobiernos, es la esencia del periodismo. Procesar a un editor por "
            "este trabajo sentaría un precedente peligroso y podría disuadir a periodistas, "
            "redacciones y fuentes de todo el mundo."
        ),
    },
    "goal": 100000,
    "opens_on": date(2020, 2, 1),
}

DEBATE_QUESTION = {
    "en": "Should Ecuador grant asylum to Julian Assange?",
    "de": "Sollte Ecuador Julian Assange Asyl gewähren?",
    "es": "¿Debería Ecuador conceder asilo a Julian Assange?",
}

# The demo petition's milestones ("count": None is "the goal reached").
MILESTONES = [
    {"count": 1_000, "note": {"en": "", "de": "", "es": ""}},
    {
        "count": 10_000,
        "note": {
            "en": "At 10,000 we ask the UK Home Secretary for a meeting.",
            "de": "Bei 10.000 bitten wir die britische Innenministerin um ein Treffen.",
            "es": "Con 10.000 pedimos una reunión a la ministra del Interior británica.",
        },
    },
    {
        "count": 50_000,
        "note": {
            "en": "At 50,000 we hand the signatures over in Washington.",
            "de": "Bei 50.000 übergeben wir die Unterschriften in Washington.",
            "es": "Con 50.000 entregamos las firmas en Washington.",
        },
    },
    {"count": None, "note": {"en": "", "de": "", "es": ""}},
]
