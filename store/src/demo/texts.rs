//! The short Dutch texts of the demo's contacts and signals: what an officer would
//! jot down, and deliberately never a person's name, as in real use.

use domain::{ContactReason, SignalCategory, SignalStatus};

/// Notes an officer might add to a contact for this reason.
pub(super) fn contact_notes(reason: ContactReason) -> &'static [&'static str] {
    match reason {
        ContactReason::Acquaintance => &[
            "Kennismaking met nieuwe bewoners, wijkagent voorgesteld.",
            "Kort praatje aan de bakker over hoe het gaat in de straat.",
            "Visitekaartje van het wijkkantoor achtergelaten.",
            "Nieuwe uitbater van de nachtwinkel leren kennen.",
        ],
        ContactReason::Nuisance => &[
            "Klachten over geluidsoverlast 's avonds aan het pleintje besproken.",
            "Bewoners melden overlast van samenscholing aan de portiek.",
            "Afspraken gemaakt met uitbater over terras en sluitingsuur.",
            "Overlast van fietsen in de inkomhal besproken met de syndicus.",
        ],
        ContactReason::SafetyConcern => &[
            "Bewoonster voelt zich onveilig in de onverlichte doorgang.",
            "Zorgen over inbraken in kelderbergingen, preventieadvies gegeven.",
            "Ouders bezorgd over het speelplein na donker.",
        ],
        ContactReason::NeighbourDispute => &[
            "Discussie over een gedeelde parkeerplaats, beide kanten gehoord.",
            "Bemiddeld in onenigheid over afval op de gemeenschappelijke koer.",
            "Burenruzie over lawaai, voorstel tot buurtbemiddeling gedaan.",
        ],
        ContactReason::Youth => &[
            "Gesprek met groep jongeren op het plein, afspraken over lawaai.",
            "Jongeren gewezen op het aanbod van het jeugdhuis.",
            "Voetballende jongeren en buren samen rond de tafel gebracht.",
            "Goed gesprek met jongeren aan de sporthal, sfeer rustig.",
        ],
        ContactReason::Traffic => &[
            "Ouders wijzen op gevaarlijke oversteek aan de schoolpoort.",
            "Foutparkeerders op het fietspad aangesproken.",
            "Vraag naar extra controle op snelheid in de schoolstraat.",
        ],
        ContactReason::Information => &[
            "Vraag over bewonerskaart, doorverwezen naar het districtshuis.",
            "Uitleg gegeven over de nieuwe circulatie in de wijk.",
            "Info gegeven over aangifte doen via het politiekantoor.",
            "Vraag over de werken aan de tramhalte beantwoord.",
        ],
        ContactReason::Prevention => &[
            "Tips gegeven tegen fietsdiefstal, graveeractie aangekondigd.",
            "Inbraakpreventie besproken met handelaar.",
            "Folder over phishing en valse bankmails uitgedeeld.",
        ],
        ContactReason::Other => &[
            "Verloren portefeuille binnengebracht op het wijkkantoor.",
            "Verdwaalde hond teruggebracht naar de eigenaar.",
            "Hulp geboden bij een lekke band aan het kruispunt.",
        ],
    }
}

/// Descriptions of a signal in this category.
pub(super) fn signal_descriptions(category: SignalCategory) -> &'static [&'static str] {
    match category {
        SignalCategory::Nuisance => &[
            "Terugkerende samenscholing aan de ingang van het appartementsblok.",
            "Overlast van een café: klanten blijven na sluitingsuur op straat hangen.",
            "Bewoners melden geregeld urineren tegen de gevels in het steegje.",
        ],
        SignalCategory::Noise => &[
            "Luide muziek uit een pand tot laat in de nacht, meerdere buren klagen.",
            "Nachtelijk lawaai van scooters die rondjes rijden rond het plein.",
            "Geluidsoverlast van werken buiten de toegelaten uren.",
        ],
        SignalCategory::Vandalism => &[
            "Bushokje met ingegooide ruit.",
            "Nieuwe graffiti op de gevel van de bibliotheek.",
            "Plantenbakken op het plein omvergetrokken en beschadigd.",
            "Fietsenstalling aan het station vernield.",
        ],
        SignalCategory::Lighting => &[
            "Straatlantaarn defect ter hoogte van het speelpleintje.",
            "Verlichting in de fietstunnel valt 's avonds uit.",
            "Twee lichtpunten in het park branden al een week niet.",
        ],
        SignalCategory::Waste => &[
            "Sluikstort van huisraad naast de glasbollen.",
            "Overvolle vuilnisbakken op het plein, afval waait de straat in.",
            "Zakken met bouwafval achtergelaten op de stoep.",
        ],
        SignalCategory::TrafficSafety => &[
            "Auto's rijden te snel in de schoolstraat bij het begin van de lessen.",
            "Paaltje aan de oversteekplaats omvergereden.",
            "Zebrapad nauwelijks nog zichtbaar, kinderen steken er dagelijks over.",
        ],
        SignalCategory::Drugs => &[
            "Bewoners melden veel kort bezoek aan een portiek, vermoedelijk dealen.",
            "Spuiten gevonden in het plantsoen naast de speeltuin.",
            "Lachgaspatronen achtergelaten op de parking.",
        ],
        SignalCategory::Youth => &[
            "Groep jongeren hangt 's avonds rond aan het speelplein, jeugdwerk gevraagd mee te kijken.",
            "Spanningen tussen twee groepen jongeren aan het sportveld.",
            "Jongeren vragen een plek om te sporten na schooltijd.",
        ],
        SignalCategory::SocialIsolation => &[
            "Oudere bewoner komt nauwelijks nog buiten, buren maken zich zorgen.",
            "Brievenbus puilt uit, bewoner al dagen niet gezien.",
            "Alleenstaande bewoner vraagt hulp met boodschappen.",
        ],
        SignalCategory::NeighbourDispute => &[
            "Aanhoudende discussie tussen buren over een gemeenschappelijke tuinmuur.",
            "Conflict in een appartementsblok over het gebruik van de lift.",
        ],
        SignalCategory::UnsafePlace => &[
            "Onverlichte doorgang naar het station voelt 's avonds onveilig.",
            "Verlaten pand staat open, er wordt binnen geslapen.",
            "Losliggende tegels en een gat in de stoep aan de tramhalte.",
        ],
        SignalCategory::Other => &[
            "Verlaten fiets al weken vastgemaakt aan een boom.",
            "Wespennest in de boom naast de schoolpoort.",
            "Gesneuveld verkeersbord na storm.",
        ],
    }
}

/// What a team tells the organisation it referred a signal to, by category.
pub(super) fn referral_feedback(category: SignalCategory) -> &'static [&'static str] {
    match category {
        SignalCategory::Waste => &[
            "Doorgegeven aan Netheid; ophaling gevraagd voor deze week.",
            "Foto's van het sluikstort bezorgd, graag laten weten wanneer het weg is.",
            "Terugkerend probleem op deze plek, misschien een extra vuilnisbak?",
        ],
        SignalCategory::Lighting => &[
            "Defect lichtpunt doorgegeven, buurt vraagt snelle herstelling.",
            "Donkere plek ligt op een schoolroute, graag voorrang.",
        ],
        SignalCategory::Youth => &[
            "Graag samen langsgaan op een woensdagnamiddag.",
            "Jongeren zelf vragen naar een plek om te sporten, contact via het jeugdhuis.",
        ],
        _ => &["Graag opvolgen en ons laten weten wat er gebeurd is."],
    }
}

/// What a team tells a partner about a signal the partner filed, by its status.
pub(super) fn partner_feedback(status: SignalStatus) -> &'static [&'static str] {
    match status {
        SignalStatus::Open => &[],
        SignalStatus::InProgress => &[
            "Bedankt voor het signaal, de wijkagent gaat deze week langs.",
            "We nemen het mee in de patrouilles van de komende avonden.",
        ],
        SignalStatus::Referred => &["Doorgegeven aan de bevoegde dienst, we volgen mee op."],
        SignalStatus::Resolved => &[
            "Opgelost na overleg met de bewoners, bedankt voor het melden.",
            "De situatie is intussen rustig, laat het weten als het terugkomt.",
        ],
    }
}
