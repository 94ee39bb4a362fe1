//! The fixed wording of the documents the register writes for people — the privacy notice
//! (`export notice`), its change summary (`--changes-since`) and the access report — in
//! Finnish and English. Each sentence is here once; the renderers only put the description's
//! own texts and values ([`crate::model::labels`]) beside it.
//!
//! The Finnish follows the second seed notice's headings and the Data Protection
//! Ombudsman's terms (rekisterinpitäjä, rekisteröity, oikeusperuste, henkilötietoryhmä,
//! vastaanottaja, säilytysaika, valvontaviranomainen). Names from the description (the
//! controller's, a recipient's) are never inflected: a sentence puts them after a colon or
//! in parentheses, so the Finnish stays correct whatever the name is.

use chrono::{Datelike, NaiveDate};

use crate::model::contact::Category;
use crate::model::labels::Lang;
use crate::model::policy::{Basis, Records};

/// The sections of the privacy notice, in the order it is read: the second seed's twelve,
/// with transfers and cookies (from the first seed) where the description has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heading {
    Controller,
    Purposes,
    Basis,
    Data,
    Sources,
    Recipients,
    Transfers,
    Retention,
    Rights,
    Profiling,
    FurtherProcessing,
    Security,
    Cookies,
    Changes,
}

impl Heading {
    pub fn title(self, lang: Lang) -> &'static str {
        use Heading::*;
        match self {
            Controller => lang.pick("Controller", "Rekisterinpitäjä"),
            Purposes => lang.pick(
                "Purposes of processing",
                "Henkilötietojen käsittelyn tarkoitukset",
            ),
            Basis => lang.pick(
                "Legal basis for processing",
                "Henkilötietojen käsittelyn oikeusperuste",
            ),
            Data => lang.pick(
                "Categories of personal data",
                "Käsiteltävät henkilötietoryhmät",
            ),
            Sources => lang.pick(
                "Regular sources of personal data",
                "Rekisterin säännönmukaiset tietolähteet",
            ),
            Recipients => lang.pick(
                "Recipients of personal data",
                "Henkilötietojen vastaanottajat",
            ),
            Transfers => lang.pick(
                "Transfers outside the EU or the EEA",
                "Tietojen siirto EU:n tai ETA:n ulkopuolelle",
            ),
            Retention => lang.pick(
                "How long personal data is kept",
                "Henkilötietojen säilytysaika",
            ),
            Rights => lang.pick("Your rights", "Rekisteröidyn oikeudet"),
            Profiling => lang.pick(
                "Automated decision-making and profiling",
                "Henkilötietojen käsittely ja profilointi",
            ),
            FurtherProcessing => lang.pick(
                "Further processing of personal data",
                "Henkilötietojen jatkokäsittely",
            ),
            Security => lang.pick(
                "Technical and organisational security measures",
                "Yleinen kuvaus rekisterinpitäjän asianmukaisista teknisistä ja organisatorisista turvatoimista",
            ),
            Cookies => lang.pick(
                "Cookies and website analytics",
                "Evästeet ja verkkosivujen analytiikka",
            ),
            Changes => lang.pick(
                "Changes to this privacy notice",
                "Tietosuojaselosteen muuttaminen",
            ),
        }
    }

    /// The section's key in JSON and CSV (the same in every language).
    pub fn key(self) -> &'static str {
        use Heading::*;
        match self {
            Controller => "controller",
            Purposes => "purposes",
            Basis => "basis",
            Data => "data",
            Sources => "sources",
            Recipients => "recipients",
            Transfers => "transfers",
            Retention => "retention",
            Rights => "rights",
            Profiling => "profiling",
            FurtherProcessing => "further_processing",
            Security => "security",
            Cookies => "cookies",
            Changes => "changes",
        }
    }
}

/// The notice's title.
pub fn notice_title(lang: Lang) -> &'static str {
    lang.pick("Privacy notice", "Tietosuojaseloste")
}

/// The line under the title: what the notice is and under which law.
pub fn notice_intro(lang: Lang) -> &'static str {
    lang.pick(
        "In this privacy notice we, the controller, explain how we process personal data and what rights you have. It is written as Articles 13 and 14 of the EU General Data Protection Regulation ((EU) 2016/679) require.",
        "Tässä tietosuojaselosteessa kerromme, miten käsittelemme rekisterinpitäjänä henkilötietoja ja mitä oikeuksia sinulla on. Seloste on laadittu EU:n yleisen tietosuoja-asetuksen ((EU) 2016/679) 13 ja 14 artiklan mukaisesti.",
    )
}

/// A day as a person reads it: `23.11.2026`, `23 November 2026`.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Fi => d.format("%-d.%-m.%Y").to_string(),
        Lang::En => {
            const MONTHS: [&str; 12] = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
        }
    }
}

/// Which version of the notice this is and from when: `in_force` is the version in force
/// now, `from` the day this one takes (or took) effect.
pub fn version_line(number: i64, from: NaiveDate, in_force: i64, lang: Lang) -> String {
    let day = date(from, lang);
    match (lang, number.cmp(&in_force)) {
        (Lang::En, std::cmp::Ordering::Equal) => format!("Version {number}, in force from {day}."),
        (Lang::En, std::cmp::Ordering::Greater) => format!(
            "Version {number}, in force from {day}. Until then version {in_force} is in force."
        ),
        (Lang::En, std::cmp::Ordering::Less) => format!(
            "Version {number}, which took effect on {day}. It is no longer in force: version {in_force} is in force now."
        ),
        (Lang::Fi, std::cmp::Ordering::Equal) => format!("Versio {number}, voimassa {day} alkaen."),
        (Lang::Fi, std::cmp::Ordering::Greater) => format!(
            "Versio {number}, voimassa {day} alkaen. Siihen asti voimassa on versio {in_force}."
        ),
        (Lang::Fi, std::cmp::Ordering::Less) => format!(
            "Versio {number}, tuli voimaan {day}. Tämä versio ei ole enää voimassa: nyt voimassa on versio {in_force}."
        ),
    }
}

/// Labels of the controller's and the contact person's details (section 1).
pub struct ControllerLabels {
    pub name: &'static str,
    pub business_id: &'static str,
    pub address: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub contact_person: &'static str,
    pub position: &'static str,
}

pub fn controller_labels(lang: Lang) -> ControllerLabels {
    ControllerLabels {
        name: lang.pick("Name", "Nimi"),
        business_id: lang.pick("Business ID", "Y-tunnus"),
        address: lang.pick("Address", "Osoite"),
        phone: lang.pick("Phone", "Puhelin"),
        email: lang.pick("E-mail", "Sähköposti"),
        contact_person: lang.pick(
            "Contact person for register matters",
            "Rekisteriasioiden yhteyshenkilö",
        ),
        position: lang.pick("Position", "Tehtävä"),
    }
}

/// Section 2.
pub fn purposes_intro(lang: Lang) -> &'static str {
    lang.pick(
        "We process personal data for the following purposes:",
        "Käsittelemme henkilötietoja seuraaviin tarkoituksiin:",
    )
}

/// A purpose's description with its basis (and kind of marketing) after it.
pub fn purpose_with_basis(
    description: &str,
    basis: &str,
    marketing: Option<&str>,
    lang: Lang,
) -> String {
    let label = lang.pick("legal basis", "oikeusperuste");
    match marketing {
        Some(m) => format!("{description} ({label}: {basis}, {m})"),
        None => format!("{description} ({label}: {basis})"),
    }
}

/// Section 3: the bases in use, each with what it means (Art. 6(1)).
pub fn bases_intro(lang: Lang) -> &'static str {
    lang.pick(
        "We process personal data on the following bases of Article 6(1) of the General Data Protection Regulation:",
        "Käsittelemme henkilötietoja seuraavilla EU:n yleisen tietosuoja-asetuksen 6 artiklan 1 kohdan mukaisilla perusteilla:",
    )
}

/// A basis and what it means, for the list of section 3.
pub fn basis_explained(b: Basis, lang: Lang) -> &'static str {
    match b {
        Basis::Consent => lang.pick(
            "consent (point (a)): you have given your consent to the processing of your data for one or more specific purposes",
            "suostumus (a alakohta): olet antanut suostumuksesi tietojesi käsittelyyn yhtä tai useampaa tiettyä tarkoitusta varten",
        ),
        Basis::Contract => lang.pick(
            "contract (point (b)): the processing is necessary for performing a contract or for steps taken before entering into one",
            "sopimus (b alakohta): käsittely on tarpeen sopimuksen täytäntöön panemiseksi tai sopimuksen tekemistä edeltävien toimenpiteiden toteuttamiseksi",
        ),
        Basis::LegalObligation => lang.pick(
            "legal obligation (point (c)): the processing is necessary to comply with a legal obligation we are subject to",
            "lakisääteinen velvoite (c alakohta): käsittely on tarpeen meitä koskevan lakisääteisen velvoitteen noudattamiseksi",
        ),
        Basis::LegitimateInterest => lang.pick(
            "legitimate interest (point (f)): the processing is necessary for our legitimate interests",
            "oikeutettu etu (f alakohta): käsittely on tarpeen oikeutettujen etujemme toteuttamiseksi",
        ),
    }
}

/// Before the list of legitimate interests, each under its purpose.
pub fn interests_intro(lang: Lang) -> &'static str {
    lang.pick(
        "Where the processing is based on our legitimate interest, the interest for each purpose is:",
        "Kun käsittely perustuu oikeutettuun etuumme, etu on kunkin tarkoituksen kohdalla seuraava:",
    )
}

/// Opt-in marketing and how consent is withdrawn (Art. 7(3)).
pub fn opt_in_marketing(lang: Lang) -> &'static str {
    lang.pick(
        "Electronic direct marketing based on consent (opt-in) is sent only to people who have given their consent to it. You can withdraw your consent at any time, as easily as you gave it: by telling us, or with the unsubscribe option in every marketing message. Withdrawal does not affect the lawfulness of processing before it.",
        "Suostumukseen perustuvaa sähköistä suoramarkkinointia (opt-in) lähetämme vain niille, jotka ovat antaneet siihen suostumuksensa. Suostumuksen voi peruuttaa milloin tahansa yhtä helposti kuin sen antoi: ilmoittamalla siitä meille tai käyttämällä jokaisessa markkinointiviestissä olevaa peruutusmahdollisuutta. Peruuttaminen ei vaikuta ennen sitä tehdyn käsittelyn lainmukaisuuteen.",
    )
}

/// Opt-out marketing and how it is objected to (Art. 21(2)–(3)).
pub fn opt_out_marketing(lang: Lang) -> &'static str {
    lang.pick(
        "Direct marketing based on our legitimate interest (opt-out) may be sent without separate consent until the recipient objects to it. You can object to direct marketing at any time by telling us, or with the opt-out option in every marketing message. After you object, your data is no longer used for direct marketing on any basis.",
        "Oikeutettuun etuumme perustuvaa suoramarkkinointia (opt-out) voimme lähettää ilman erillistä suostumusta, kunnes vastaanottaja kieltää sen. Voit kieltää suoramarkkinoinnin milloin tahansa ilmoittamalla siitä meille tai käyttämällä jokaisessa markkinointiviestissä olevaa kieltomahdollisuutta. Kiellon jälkeen tietojasi ei enää käytetä suoramarkkinointiin millään perusteella.",
    )
}

/// Section 4.
pub fn subjects_intro(lang: Lang) -> &'static str {
    lang.pick(
        "The register holds data about the following groups of people:",
        "Rekisteri sisältää tietoja seuraavista henkilöryhmistä:",
    )
}

pub fn data_intro(lang: Lang) -> &'static str {
    lang.pick(
        "We process the following personal data:",
        "Rekisteröidyistä käsitellään seuraavia tietoja:",
    )
}

/// Whether giving the data is required, and what follows if not (Art. 13(2)(e)).
pub struct ProvisionLabels {
    pub heading: &'static str,
    pub obliged: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub reason: &'static str,
    pub consequence: &'static str,
}

pub fn provision_labels(lang: Lang) -> ProvisionLabels {
    ProvisionLabels {
        heading: lang.pick(
            "Must you give us your data?",
            "Onko tietojen antaminen pakollista?",
        ),
        obliged: lang.pick("Giving the data", "Tietojen antaminen"),
        yes: lang.pick(
            "a statutory or contractual requirement",
            "on lakiin tai sopimukseen perustuva vaatimus",
        ),
        no: lang.pick("not required", "ei ole pakollista"),
        reason: lang.pick("Why the data is needed", "Miksi tietoja tarvitaan"),
        consequence: lang.pick("If the data is not given", "Jos tietoja ei anneta"),
    }
}

/// Section 5.
pub fn sources_intro(lang: Lang) -> &'static str {
    lang.pick(
        "We obtain personal data from the following sources:",
        "Henkilötiedot saadaan seuraavista lähteistä:",
    )
}

/// Section 6: the recipients, grouped by role, each group under its sentence.
pub fn group_companies_intro(lang: Lang) -> &'static str {
    lang.pick(
        "Personal data may be processed within our group by the following companies:",
        "Henkilötietoja voidaan käsitellä konsernimme sisällä seuraavissa yhtiöissä:",
    )
}

pub fn processors_intro(lang: Lang) -> &'static str {
    lang.pick(
        "We use service providers who process personal data on our behalf and on our documented instructions, under a data processing agreement as data protection law requires:",
        "Käytämme palveluntarjoajia, jotka käsittelevät henkilötietoja puolestamme ja dokumentoitujen ohjeidemme mukaisesti tietosuojalainsäädännön edellyttämän tietojenkäsittelysopimuksen perusteella:",
    )
}

pub fn authorities_intro(lang: Lang) -> &'static str {
    lang.pick(
        "Personal data is disclosed to authorities as follows:",
        "Henkilötietoja luovutetaan viranomaisille seuraavasti:",
    )
}

pub fn other_recipients_intro(lang: Lang) -> &'static str {
    lang.pick(
        "Personal data may also be disclosed to the following recipients:",
        "Henkilötietoja voidaan luovuttaa myös seuraaville vastaanottajille:",
    )
}

/// After a recipient who gets data only with the person's permission.
pub fn only_with_permission(lang: Lang) -> &'static str {
    lang.pick("only with your permission", "vain luvallasi")
}

/// Before a recipient's location outside the EU/EEA.
pub fn location_label(lang: Lang) -> &'static str {
    lang.pick("location", "sijainti")
}

/// Section 7.
pub fn transfers_intro(lang: Lang) -> &'static str {
    lang.pick(
        "We transfer personal data outside the European Union and the European Economic Area as follows, each transfer with its safeguard:",
        "Siirrämme henkilötietoja Euroopan unionin ja Euroopan talousalueen ulkopuolelle seuraavasti, kukin siirto suojatoimineen:",
    )
}

pub fn transfers_copy(lang: Lang) -> &'static str {
    lang.pick(
        "You can get more information on the safeguards, and a copy of them, by contacting us (section 1).",
        "Saat lisätietoja suojatoimista ja jäljennöksen niistä ottamalla yhteyttä meihin (kohta 1).",
    )
}

/// Section 8.
pub fn retention_intro(lang: Lang) -> &'static str {
    lang.pick(
        "The retention periods are as follows:",
        "Säilytysajat ovat seuraavat:",
    )
}

/// A category of person under its retention rule (plural: the people it covers).
pub fn retention_category(c: Category, lang: Lang) -> &'static str {
    match c {
        Category::Customer => lang.pick("Customer representatives", "Asiakkaiden yhteyshenkilöt"),
        Category::Prospect => lang.pick("Prospective customers", "Potentiaaliset asiakkaat"),
        Category::Student => lang.pick("Course students", "Kurssilaiset"),
    }
}

/// `n` months, as a period: "24 months", "24 kuukautta" (the partitive of Finnish counts).
pub fn months(n: u32, lang: Lang) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 month".to_string(),
        (Lang::En, _) => format!("{n} months"),
        (Lang::Fi, 1) => "1 kuukausi".to_string(),
        (Lang::Fi, _) => format!("{n} kuukautta"),
    }
}

/// A retention period counted from a start (`start` from [`crate::model::labels::retention_start`]).
pub fn months_from(n: u32, start: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{} from {start}", months(n, lang)),
        Lang::Fi => format!("{} {start}", months(n, lang)),
    }
}

/// A kind of record kept apart from its person, and how long.
pub fn record_retention(r: Records, n: u32, lang: Lang) -> (&'static str, String) {
    let m = months(n, lang);
    match (r, lang) {
        (Records::Courses, Lang::En) => ("Course records", format!("{m} from completion")),
        (Records::Courses, Lang::Fi) => ("Kurssisuoritukset", format!("{m} suorituspäivästä")),
        (Records::History, Lang::En) => (
            "Contact-history entries",
            format!("{m} from the date of the entry"),
        ),
        (Records::History, Lang::Fi) => (
            "Yhteydenottohistorian merkinnät",
            format!("{m} merkinnän päivämäärästä"),
        ),
        (Records::Requests, Lang::En) => (
            "Records of requests made under these rights",
            format!("{m} from when the request was closed, to show how it was answered"),
        ),
        (Records::Requests, Lang::Fi) => (
            "Merkinnät rekisteröityjen oikeuksiaan koskevista pyynnöistä",
            format!("{m} pyynnön käsittelyn päättymisestä, jotta voimme osoittaa, miten pyyntöön vastattiin"),
        ),
    }
}

/// The regular deletion of data no longer needed.
pub fn deletion_interval(n: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "Personal data we no longer have grounds to keep is deleted regularly, at least every {}.",
            if n == 1 { "month".to_string() } else { months(n, lang) }
        ),
        Lang::Fi => format!(
            "Tarpeettomiksi käyneet henkilötiedot, joita meillä ei ole enää perustetta säilyttää, poistetaan säännöllisesti, vähintään {n} kuukauden välein."
        ),
    }
}

/// How often unneeded data is deleted, as a value of a change line.
pub fn interval(n: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("at least every {}", months(n, lang)),
        Lang::Fi => format!("vähintään {n} kuukauden välein"),
    }
}

/// Data kept longer than its rule: a legal hold.
pub fn kept_longer(lang: Lang) -> &'static str {
    lang.pick(
        "Data may be kept longer where the law requires it or where it is needed to establish, exercise or defend legal claims.",
        "Tietoja voidaan säilyttää pidempään, jos laki sitä edellyttää tai jos tiedot ovat tarpeen oikeusvaateen laatimiseksi, esittämiseksi tai puolustamiseksi.",
    )
}

/// Section 11.
pub fn security_intro(lang: Lang) -> &'static str {
    lang.pick(
        "We protect personal data with the following technical and organisational measures:",
        "Suojaamme henkilötiedot seuraavin teknisin ja organisatorisin toimin:",
    )
}

/// Section 12.
pub fn changes_text(lang: Lang) -> &'static str {
    lang.pick(
        "We may change this privacy notice. We will tell you of significant changes to the notice and to the processing of personal data on our website or in another appropriate way reasonably before they take effect, so that you have time to consider what they mean for you.",
        "Voimme muuttaa tätä tietosuojaselostetta. Kerromme merkittävistä muutoksista tietosuojaselosteeseen ja henkilötietojen käsittelyyn verkkosivuillamme tai muulla tarkoituksenmukaisella tavalla kohtuullisesti ennen niiden voimaantuloa, jotta sinulla on aikaa arvioida muutosten vaikutukset.",
    )
}

/// A data subject's right: what it is called, its article, and what it means, as the
/// person reads it.
#[derive(Debug, Clone, Copy)]
pub struct Right {
    /// A short stable name, e.g. `erasure`.
    pub key: &'static str,
    title: (&'static str, &'static str),
    article: (&'static str, &'static str),
    paragraphs: &'static [(&'static str, &'static str)],
}

impl Right {
    /// "Right to erasure (Article 17)".
    pub fn heading(&self, lang: Lang) -> String {
        format!(
            "{} ({})",
            lang.pick(self.title.0, self.title.1),
            lang.pick(self.article.0, self.article.1)
        )
    }

    pub fn paragraphs(&self, lang: Lang) -> Vec<&'static str> {
        self.paragraphs
            .iter()
            .map(|(en, fi)| lang.pick(en, fi))
            .collect()
    }
}

/// Every right a person has in the register (Art. 7(3), 15–18, 20, 21, 77), in the order
/// the notice lists them.
pub const RIGHTS: &[Right] = &[
    Right {
        key: "withdraw-consent",
        title: ("Right to withdraw consent", "Oikeus peruuttaa suostumus"),
        article: ("Article 7(3)", "7 artiklan 3 kohta"),
        paragraphs: &[(
            "Where the processing is based on your consent, you may withdraw it at any time, as easily as you gave it. Withdrawal does not affect the lawfulness of processing based on the consent before its withdrawal.",
            "Kun käsittely perustuu suostumukseesi, voit peruuttaa suostumuksesi milloin tahansa yhtä helposti kuin annoit sen. Peruuttaminen ei vaikuta ennen sitä suostumuksen perusteella tehdyn käsittelyn lainmukaisuuteen.",
        )],
    },
    Right {
        key: "access",
        title: ("Right of access", "Oikeus saada pääsy tietoihin"),
        article: ("Article 15", "15 artikla"),
        paragraphs: &[(
            "You have the right to be told whether we process personal data about you and, if we do, to get a copy of it together with information on the purposes of the processing, the categories of data, the recipients, how long the data is kept and where it came from.",
            "Sinulla on oikeus saada vahvistus siitä, käsittelemmekö sinua koskevia henkilötietoja. Jos käsittelemme, sinulla on oikeus saada jäljennös tiedoistasi sekä tiedot käsittelyn tarkoituksista, tietoryhmistä, vastaanottajista, säilytysajasta ja siitä, mistä tiedot on saatu.",
        )],
    },
    Right {
        key: "rectification",
        title: ("Right to rectification", "Oikeus tietojen oikaisemiseen"),
        article: ("Article 16", "16 artikla"),
        paragraphs: &[(
            "You have the right to have inaccurate data about you corrected without undue delay, and incomplete data completed.",
            "Sinulla on oikeus saada epätarkat ja virheelliset tietosi oikaistuiksi ilman aiheetonta viivytystä sekä puutteelliset tietosi täydennetyiksi.",
        )],
    },
    Right {
        key: "erasure",
        title: ("Right to erasure", "Oikeus tietojen poistamiseen"),
        article: ("Article 17", "17 artikla"),
        paragraphs: &[(
            "You have the right to have your data erased without undue delay where one of the grounds in Article 17 applies, for example when the data is no longer needed for the purpose it was collected for, or when you withdraw the consent the processing was based on. We cannot erase data the law requires us to keep.",
            "Sinulla on oikeus saada tietosi poistetuiksi ilman aiheetonta viivytystä, kun jokin 17 artiklassa säädetyistä perusteista täyttyy, esimerkiksi kun tietoja ei enää tarvita siihen tarkoitukseen, jota varten ne kerättiin, tai kun peruutat suostumuksen, johon käsittely perustui. Tietoja, joiden säilyttämistä laki edellyttää, emme voi poistaa.",
        )],
    },
    Right {
        key: "restriction",
        title: (
            "Right to restriction of processing",
            "Oikeus käsittelyn rajoittamiseen",
        ),
        article: ("Article 18", "18 artikla"),
        paragraphs: &[(
            "You have the right to have the processing of your data restricted where one of the grounds in Article 18 applies, for example while we check whether the data is accurate. While processing is restricted we keep the data but do not otherwise process it.",
            "Sinulla on oikeus vaatia, että rajoitamme tietojesi käsittelyä, kun jokin 18 artiklassa säädetyistä perusteista täyttyy, esimerkiksi siksi aikaa, kun tarkistamme tietojen paikkansapitävyyttä. Rajoituksen aikana säilytämme tiedot, mutta emme muuten käsittele niitä.",
        )],
    },
    Right {
        key: "portability",
        title: (
            "Right to data portability",
            "Oikeus siirtää tiedot järjestelmästä toiseen",
        ),
        article: ("Article 20", "20 artikla"),
        paragraphs: &[(
            "Where the processing is based on consent or a contract and is carried out by automated means, you have the right to receive the data you have provided to us in a structured, commonly used and machine-readable format and to transmit it to another controller. You may also ask us to transmit it directly to another controller where that is technically feasible.",
            "Kun käsittely perustuu suostumukseen tai sopimukseen ja se suoritetaan automaattisesti, sinulla on oikeus saada itse toimittamasi tiedot jäsennellyssä, yleisesti käytetyssä ja koneellisesti luettavassa muodossa ja siirtää ne toiselle rekisterinpitäjälle. Voit myös pyytää, että siirrämme tiedot suoraan toiselle rekisterinpitäjälle, jos se on teknisesti mahdollista.",
        )],
    },
    Right {
        key: "objection",
        title: ("Right to object", "Vastustamisoikeus"),
        article: ("Article 21", "21 artikla"),
        paragraphs: &[
            (
                "You have the right to object, on grounds relating to your particular situation, to processing of your data that is based on our legitimate interest, including profiling based on it. We then no longer process your data unless we can show compelling legitimate grounds for the processing that override your interests, rights and freedoms, or the processing is needed to establish, exercise or defend legal claims.",
                "Sinulla on oikeus henkilökohtaiseen erityiseen tilanteeseesi liittyvällä perusteella vastustaa tietojesi käsittelyä, joka perustuu oikeutettuun etuumme, myös tällaiseen käsittelyyn perustuvaa profilointia. Tällöin emme enää käsittele tietojasi, ellemme voi osoittaa, että käsittelyyn on huomattavan tärkeä ja perusteltu syy, joka syrjäyttää etusi, oikeutesi ja vapautesi, tai että käsittely on tarpeen oikeusvaateen laatimiseksi, esittämiseksi tai puolustamiseksi.",
            ),
            (
                "You may object at any time to the processing of your data for direct marketing, including profiling related to it. After that your data is no longer processed for direct marketing.",
                "Voit milloin tahansa kieltää tietojesi käsittelyn suoramarkkinointia varten, myös siihen liittyvän profiloinnin. Kiellon jälkeen tietojasi ei enää käsitellä suoramarkkinointia varten.",
            ),
        ],
    },
    Right {
        key: "complaint",
        title: (
            "Right to lodge a complaint with a supervisory authority",
            "Oikeus tehdä valitus valvontaviranomaiselle",
        ),
        article: ("Article 77", "77 artikla"),
        paragraphs: &[(
            "If you consider that the processing of your personal data infringes data protection law, you have the right to lodge a complaint with a supervisory authority. In Finland it is the Data Protection Ombudsman (tietosuojavaltuutettu; Office of the Data Protection Ombudsman, https://tietosuoja.fi). You may also lodge it with the supervisory authority of the EU member state where you live or work. You also have the right to other administrative and judicial remedies.",
            "Jos katsot, että henkilötietojesi käsittely rikkoo tietosuojalainsäädäntöä, sinulla on oikeus tehdä valitus valvontaviranomaiselle. Suomessa valvontaviranomainen on tietosuojavaltuutettu (Tietosuojavaltuutetun toimisto, https://tietosuoja.fi). Voit tehdä valituksen myös sen EU:n jäsenvaltion valvontaviranomaiselle, jossa asut tai työskentelet. Sinulla on lisäksi oikeus käyttää muita hallinnollisia ja oikeudellisia oikeussuojakeinoja.",
        )],
    },
];

/// The right named `key` (a key of [`RIGHTS`]).
pub fn right(key: &str) -> Option<&'static Right> {
    RIGHTS.iter().find(|r| r.key == key)
}

pub fn rights_intro(lang: Lang) -> &'static str {
    lang.pick(
        "You have the following rights under the General Data Protection Regulation. Which of them apply depends on the basis of the processing.",
        "Sinulla on seuraavat EU:n yleisen tietosuoja-asetuksen mukaiset oikeudet. Se, mitkä niistä soveltuvat, riippuu käsittelyn perusteesta.",
    )
}

/// The heading over how the rights are used.
pub fn using_rights_heading(lang: Lang) -> &'static str {
    lang.pick("How to use your rights", "Oikeuksien käyttäminen")
}

/// How the rights are used: where to write (`email`), identity, answer time, fees and
/// refusal (Art. 12).
pub fn using_rights(email: &str, lang: Lang) -> Vec<String> {
    let contact = match lang {
        Lang::En => format!(
            "To use your rights, contact us as given in section 1, for example by e-mail to {email}."
        ),
        Lang::Fi => format!(
            "Voit käyttää oikeuksiasi ottamalla yhteyttä meihin kohdan 1 yhteystietojen mukaisesti, esimerkiksi sähköpostitse osoitteeseen {email}."
        ),
    };
    let fixed = [
        (
            "Before we act on your request we must verify your identity. We ask only for what we need to identify you; for example, we may ask you to confirm the request from the e-mail address we have on record.",
            "Ennen kuin toteutamme pyyntösi, meidän on varmistettava henkilöllisyytesi. Pyydämme vain ne tiedot, jotka tunnistamiseesi tarvitaan; voimme esimerkiksi pyytää sinua vahvistamaan pyynnön rekisterissä olevasta sähköpostiosoitteestasi.",
        ),
        (
            "We answer your request without undue delay and at the latest within one month of receiving it. If requests are complex or numerous, we may extend this by at most two further months; we will tell you of the extension and the reasons for it within one month of receiving the request. If you make the request electronically, we answer electronically unless you ask otherwise.",
            "Vastaamme pyyntöösi ilman aiheetonta viivytystä ja viimeistään kuukauden kuluessa sen vastaanottamisesta. Jos pyyntöjä on paljon tai ne ovat monimutkaisia, voimme jatkaa määräaikaa enintään kahdella kuukaudella; ilmoitamme jatkamisesta ja sen syistä kuukauden kuluessa pyynnön vastaanottamisesta. Jos teet pyynnön sähköisesti, vastaamme sähköisesti, ellet pyydä muuta.",
        ),
        (
            "Using your rights is free of charge. If a request is manifestly unfounded or excessive, in particular because it is repeated, we may charge a reasonable fee based on the administrative costs or refuse to act on it. If we do not act on your request, we tell you why without delay and at the latest within one month of receiving it, together with your right to lodge a complaint with a supervisory authority and to seek other remedies.",
            "Oikeuksiesi käyttäminen on maksutonta. Jos pyyntö on ilmeisen perusteeton tai kohtuuton, erityisesti jos sitä toistetaan, voimme periä hallinnollisiin kustannuksiin perustuvan kohtuullisen maksun tai kieltäytyä toteuttamasta pyyntöä. Jos emme toteuta pyyntöäsi, ilmoitamme sinulle syyt viipymättä ja viimeistään kuukauden kuluessa pyynnön vastaanottamisesta ja kerromme samalla oikeudestasi tehdä valitus valvontaviranomaiselle ja käyttää muita oikeussuojakeinoja.",
        ),
    ];
    std::iter::once(contact)
        .chain(fixed.iter().map(|(en, fi)| lang.pick(en, fi).to_string()))
        .collect()
}

/// A country (or the EU/EEA) by its code, as a person reads it; `None` for a code this
/// list does not name (the code is shown).
pub fn country(code: &str, lang: Lang) -> Option<&'static str> {
    const NAMES: &[(&str, &str, &str)] = &[
        ("EU/EEA", "the EU/EEA", "EU/ETA-alue"),
        ("US", "the United States", "Yhdysvallat"),
        ("GB", "the United Kingdom", "Yhdistynyt kuningaskunta"),
        ("CH", "Switzerland", "Sveitsi"),
        ("CA", "Canada", "Kanada"),
        ("AU", "Australia", "Australia"),
        ("NZ", "New Zealand", "Uusi-Seelanti"),
        ("JP", "Japan", "Japani"),
        ("KR", "South Korea", "Etelä-Korea"),
        ("CN", "China", "Kiina"),
        ("IN", "India", "Intia"),
        ("SG", "Singapore", "Singapore"),
        ("IL", "Israel", "Israel"),
        ("BR", "Brazil", "Brasilia"),
        ("ZA", "South Africa", "Etelä-Afrikka"),
        ("UA", "Ukraine", "Ukraina"),
        ("TR", "Turkey", "Turkki"),
        ("AE", "the United Arab Emirates", "Arabiemiirikunnat"),
        ("RU", "Russia", "Venäjä"),
        ("FI", "Finland", "Suomi"),
        ("SE", "Sweden", "Ruotsi"),
        ("NO", "Norway", "Norja"),
        ("DK", "Denmark", "Tanska"),
        ("IS", "Iceland", "Islanti"),
        ("EE", "Estonia", "Viro"),
        ("DE", "Germany", "Saksa"),
        ("FR", "France", "Ranska"),
        ("IE", "Ireland", "Irlanti"),
        ("NL", "the Netherlands", "Alankomaat"),
    ];
    NAMES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, en, fi)| lang.pick(en, fi))
}

/// A country's name, or its code when [`country`] does not name it.
pub fn country_or_code(code: &str, lang: Lang) -> String {
    country(code, lang).map_or_else(|| code.to_string(), str::to_string)
}

// --- The change summary (`export notice --changes-since N`) ---

pub fn changes_title(lang: Lang) -> &'static str {
    lang.pick(
        "Changes to the privacy notice",
        "Muutokset tietosuojaselosteeseen",
    )
}

/// Which versions are compared, and when the changes take (or took) effect.
pub fn changes_line(since: i64, to: i64, from: NaiveDate, pending: bool, lang: Lang) -> String {
    let day = date(from, lang);
    match (lang, pending) {
        (Lang::En, true) => format!(
            "The changes from version {since} to version {to} of the notice. They take effect on {day}."
        ),
        (Lang::En, false) => format!(
            "The changes from version {since} to version {to} of the notice, which took effect on {day}."
        ),
        (Lang::Fi, true) => format!(
            "Tietosuojaselosteen muutokset versiosta {since} versioon {to}. Muutokset tulevat voimaan {day}."
        ),
        (Lang::Fi, false) => format!(
            "Tietosuojaselosteen muutokset versiosta {since} versioon {to}, joka tuli voimaan {day}."
        ),
    }
}

pub fn material_heading(lang: Lang) -> &'static str {
    lang.pick("Significant changes", "Merkittävät muutokset")
}

pub fn other_changes_heading(lang: Lang) -> &'static str {
    lang.pick("Other changes", "Muut muutokset")
}

pub fn no_changes(since: i64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("The content of the notice has not changed since version {since}."),
        Lang::Fi => {
            format!("Tietosuojaselosteen sisältö ei ole muuttunut version {since} jälkeen.")
        }
    }
}

/// The closing of a change summary: where to ask.
pub fn changes_contact(email: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "The whole new privacy notice is available from us. If you have questions, or wish to use your rights (for example to object to direct marketing), contact us by e-mail at {email}."
        ),
        Lang::Fi => format!(
            "Uusi tietosuojaseloste on kokonaisuudessaan saatavilla meiltä. Jos sinulla on kysyttävää tai haluat käyttää oikeuksiasi (esimerkiksi kieltää suoramarkkinoinnin), ota yhteyttä sähköpostitse osoitteeseen {email}."
        ),
    }
}

/// What a change is about: the noun phrase a summary line starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Purpose,
    PurposeDescription,
    Basis,
    Marketing,
    LegitimateInterest,
    SubjectGroup,
    DataCategory,
    Source,
    SecurityMeasure,
    Recipient,
    RecipientRole,
    RecipientPurpose,
    RecipientLocation,
    RecipientPermission,
    Transfer,
    Safeguard,
    Retention,
    DeletionInterval,
    ControllerName,
    ControllerBusinessId,
    ControllerAddress,
    ControllerPhone,
    ControllerEmail,
    ContactPerson,
    ContactPersonPosition,
    ContactPersonPhone,
    ContactPersonEmail,
    ContactPersonAddress,
    RegisterName,
    RegisterDescription,
    DataProvision,
    ProvisionReason,
    ProvisionConsequence,
    RetentionDescription,
    Profiling,
    FurtherProcessing,
    Cookies,
}

impl Subject {
    /// The noun phrase, capitalised as a line starts.
    pub fn label(self, lang: Lang) -> &'static str {
        use Subject::*;
        match self {
            Purpose => lang.pick("Purpose of processing", "Käsittelyn tarkoitus"),
            PurposeDescription => {
                lang.pick("Description of a purpose", "Käsittelyn tarkoituksen kuvaus")
            }
            Basis => lang.pick("Legal basis", "Oikeusperuste"),
            Marketing => lang.pick("Marketing", "Markkinointi"),
            LegitimateInterest => lang.pick("Legitimate interest", "Oikeutettu etu"),
            SubjectGroup => lang.pick("Group of people in the register", "Rekisteröityjen ryhmä"),
            DataCategory => lang.pick("Category of personal data", "Henkilötietoryhmä"),
            Source => lang.pick("Source of personal data", "Tietolähde"),
            SecurityMeasure => lang.pick("Security measure", "Turvatoimi"),
            Recipient => lang.pick("Recipient", "Vastaanottaja"),
            RecipientRole => lang.pick("Role of a recipient", "Vastaanottajan rooli"),
            RecipientPurpose => lang.pick(
                "What a recipient gets the data for",
                "Mihin vastaanottaja saa tietoja",
            ),
            RecipientLocation => lang.pick("Location of a recipient", "Vastaanottajan sijainti"),
            RecipientPermission => lang.pick(
                "Disclosure to a recipient",
                "Tietojen luovuttaminen vastaanottajalle",
            ),
            Transfer => lang.pick(
                "Transfer outside the EU/EEA",
                "Tietojen siirto EU:n tai ETA:n ulkopuolelle",
            ),
            Safeguard => lang.pick("Safeguard of a transfer", "Siirron suojatoimi"),
            Retention => lang.pick("Retention period", "Säilytysaika"),
            DeletionInterval => lang.pick(
                "Regular deletion of data no longer needed",
                "Tarpeettomien tietojen säännöllinen poistaminen",
            ),
            ControllerName => lang.pick("Name of the controller", "Rekisterinpitäjän nimi"),
            ControllerBusinessId => {
                lang.pick("Controller's business ID", "Rekisterinpitäjän Y-tunnus")
            }
            ControllerAddress => lang.pick("Controller's address", "Rekisterinpitäjän osoite"),
            ControllerPhone => lang.pick("Controller's phone", "Rekisterinpitäjän puhelinnumero"),
            ControllerEmail => {
                lang.pick("Controller's e-mail", "Rekisterinpitäjän sähköpostiosoite")
            }
            ContactPerson => lang.pick(
                "Contact person for register matters",
                "Rekisteriasioiden yhteyshenkilö",
            ),
            ContactPersonPosition => {
                lang.pick("Contact person's position", "Yhteyshenkilön tehtävä")
            }
            ContactPersonPhone => {
                lang.pick("Contact person's phone", "Yhteyshenkilön puhelinnumero")
            }
            ContactPersonEmail => {
                lang.pick("Contact person's e-mail", "Yhteyshenkilön sähköpostiosoite")
            }
            ContactPersonAddress => lang.pick("Contact person's address", "Yhteyshenkilön osoite"),
            RegisterName => lang.pick("Name of the register", "Rekisterin nimi"),
            RegisterDescription => lang.pick("Description of the register", "Rekisterin kuvaus"),
            DataProvision => lang.pick("Giving the data", "Tietojen antaminen"),
            ProvisionReason => lang.pick("Why the data is needed", "Miksi tietoja tarvitaan"),
            ProvisionConsequence => lang.pick("If the data is not given", "Jos tietoja ei anneta"),
            RetentionDescription => lang.pick("Retention in general", "Säilytysaika yleisesti"),
            Profiling => lang.pick(
                "Automated decision-making and profiling",
                "Automaattinen päätöksenteko ja profilointi",
            ),
            FurtherProcessing => lang.pick("Further processing", "Henkilötietojen jatkokäsittely"),
            Cookies => lang.pick(
                "Cookies and website analytics",
                "Evästeet ja verkkosivujen analytiikka",
            ),
        }
    }
}

/// `(what)` after a subject: which purpose, recipient or category a line is about.
fn about(what: Option<&str>) -> String {
    what.map(|w| format!(" ({w})")).unwrap_or_default()
}

/// A line for something new: "New recipient: …" / "Uusi vastaanottaja: …" (every subject
/// a list adds to is a singular noun, so "uusi" agrees with it).
pub fn added(s: Subject, what: Option<&str>, value: &str, lang: Lang) -> String {
    let label = lowercase_first(s.label(lang));
    let what = about(what);
    match lang {
        Lang::En => format!("New {label}{what}: {value}"),
        Lang::Fi => format!("Uusi {label}{what}: {value}"),
    }
}

/// A line for something that is no longer there.
pub fn removed(s: Subject, what: Option<&str>, value: &str, lang: Lang) -> String {
    let label = s.label(lang);
    let what = about(what);
    match lang {
        Lang::En => format!("{label} removed{what}: {value}"),
        Lang::Fi => format!("{label} poistuu{what}: {value}"),
    }
}

/// A line for something changed, under the heading that says so: its new value, and the
/// old one for short values.
pub fn changed(s: Subject, what: Option<&str>, new: &str, old: Option<&str>, lang: Lang) -> String {
    let label = s.label(lang);
    let what = about(what);
    match (lang, old) {
        (_, None) => format!("{label}{what}: {new}"),
        (Lang::En, Some(o)) => format!("{label}{what}: {new} (previously: {o})"),
        (Lang::Fi, Some(o)) => format!("{label}{what}: {new} (aiemmin: {o})"),
    }
}

/// What a field now emptied shows as its new value.
pub fn none_now(lang: Lang) -> &'static str {
    lang.pick("no longer stated", "ei enää mainita")
}

/// A retention rule removed: the category has no time limit in months.
pub fn no_time_limit(lang: Lang) -> &'static str {
    lang.pick(
        "no longer limited to a number of months",
        "ei enää kuukausina rajattua säilytysaikaa",
    )
}

/// Whether a recipient gets data only with permission, as a value of a change line.
pub fn permission(only_with: bool, lang: Lang) -> &'static str {
    match only_with {
        true => lang.pick("only with your permission", "vain luvallasi"),
        false => lang.pick("without separate permission", "ilman erillistä lupaa"),
    }
}

/// A label in running text ("uusi vastaanottaja"): the labels have a capital only at the
/// start (abbreviations such as EU are never first), so lower-casing it is all it takes.
fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_the_finnish_and_the_english_way() {
        let d = NaiveDate::from_ymd_opt(2027, 1, 5).unwrap();
        assert_eq!(date(d, Lang::Fi), "5.1.2027");
        assert_eq!(date(d, Lang::En), "5 January 2027");
    }

    #[test]
    fn the_version_line_says_from_when_and_what_is_in_force() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            version_line(2, d, 2, Lang::Fi),
            "Versio 2, voimassa 23.11.2026 alkaen."
        );
        assert_eq!(
            version_line(3, d, 2, Lang::En),
            "Version 3, in force from 23 November 2026. Until then version 2 is in force."
        );
        assert!(version_line(1, d, 2, Lang::Fi).contains("ei ole enää voimassa"));
    }

    #[test]
    fn every_right_of_the_regulation_is_listed_in_both_languages() {
        let keys: Vec<&str> = RIGHTS.iter().map(|r| r.key).collect();
        assert_eq!(
            keys,
            [
                "withdraw-consent",
                "access",
                "rectification",
                "erasure",
                "restriction",
                "portability",
                "objection",
                "complaint"
            ]
        );
        for lang in [Lang::Fi, Lang::En] {
            for r in RIGHTS {
                assert!(!r.paragraphs(lang).is_empty(), "{}", r.key);
                assert!(r.heading(lang).ends_with(')'), "{}", r.heading(lang));
            }
        }
        let complaint = right("complaint").unwrap().paragraphs(Lang::Fi).join(" ");
        assert!(
            complaint.contains("Tietosuojavaltuutetun toimisto"),
            "{complaint}"
        );
        assert_eq!(
            right("objection").unwrap().heading(Lang::Fi),
            "Vastustamisoikeus (21 artikla)"
        );
    }

    #[test]
    fn the_answer_time_and_its_extension_are_stated() {
        let fi = using_rights("a@b.fi", Lang::Fi).join(" ");
        for s in [
            "kuukauden kuluessa",
            "enintään kahdella kuukaudella",
            "henkilöllisyytesi",
            "maksutonta",
            "kohtuullisen maksun",
            "osoitteeseen a@b.fi",
        ] {
            assert!(fi.contains(s), "{s}: {fi}");
        }
        let en = using_rights("a@b.fi", Lang::En).join(" ");
        for s in [
            "within one month",
            "two further months",
            "verify your identity",
            "free of charge",
            "reasonable fee",
        ] {
            assert!(en.contains(s), "{s}: {en}");
        }
    }

    #[test]
    fn change_lines_name_their_subject() {
        assert_eq!(
            added(Subject::Recipient, None, "Postikyyhky Mail Inc.", Lang::Fi),
            "Uusi vastaanottaja: Postikyyhky Mail Inc."
        );
        assert_eq!(
            changed(
                Subject::Retention,
                Some("Kurssilaiset"),
                "36 kuukautta",
                Some("24 kuukautta"),
                Lang::Fi
            ),
            "Säilytysaika (Kurssilaiset): 36 kuukautta (aiemmin: 24 kuukautta)"
        );
        assert_eq!(
            removed(Subject::Source, None, "trade fairs", Lang::En),
            "Source of personal data removed: trade fairs"
        );
    }

    #[test]
    fn countries_are_named_and_unknown_codes_shown_as_they_are() {
        assert_eq!(country_or_code("US", Lang::Fi), "Yhdysvallat");
        assert_eq!(country_or_code("US", Lang::En), "the United States");
        assert_eq!(country_or_code("KE", Lang::Fi), "KE");
    }
}
