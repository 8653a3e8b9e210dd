//! The sentences of the server's own refusals: the edge's (a body too large, a request
//! from another site or for another host, an unknown API endpoint) and the JSON API's
//! codes that [`crate::error::AppError`] has no variant for (a push, a photo upload).
//! Kept apart from [`super::Messages`] because only the server says them: the browser
//! bundle never references these values, so they are not linked into it. Same rule as
//! every catalogue here: a missing translation is a compile error.

use super::Locale;

pub struct RefusalMessages {
    // --- the edge ---
    /// The body is over the limit, in KiB.
    pub body_too_large: fn(usize) -> String,
    /// A 413 from elsewhere than the edge's own limit, which did not say the limit.
    pub too_large: &'static str,
    pub method_not_allowed: &'static str,
    /// Any other 4xx produced without a sentence: its status.
    pub refused: fn(u16) -> String,
    pub other_website: &'static str,
    pub origin_unknown: &'static str,
    /// The method and path no API endpoint answers.
    pub unknown_endpoint: fn(&str, &str) -> String,
    /// Where Wijkpost is reached, and the host the request named.
    pub wrong_host: fn(&str, &str) -> String,
    pub no_host: &'static str,
    // --- a push (`POST /api/v1/sync/push`) ---
    pub device_required: &'static str,
    /// The most mutations a push may hold, and how many this one held.
    pub batch_too_large: fn(usize, usize) -> String,
    // --- a photo upload (`/api/v1/sync/photos/…`) ---
    pub record_not_synced: &'static str,
    /// The largest photo, in MiB.
    pub photo_too_large: fn(u64) -> String,
    pub unsupported_photo_type: &'static str,
    /// The largest chunk, in KiB.
    pub chunk_too_large: fn(usize) -> String,
    /// The bytes the server holds: where to resume.
    pub offset_mismatch: fn(u64) -> String,
    /// The declared size, in bytes.
    pub chunk_past_end: fn(u64) -> String,
    pub photo_mismatch: &'static str,
    pub not_a_jpeg: &'static str,
}

impl Locale {
    pub fn refusals(self) -> &'static RefusalMessages {
        match self {
            Locale::Nl => &NL,
            Locale::En => &EN,
            Locale::Fr => &FR,
        }
    }
}

static NL: RefusalMessages = RefusalMessages {
    body_too_large: |kib| format!("De aanvraag is te groot: hoogstens {kib} KiB wordt aanvaard."),
    too_large: "De aanvraag is te groot.",
    method_not_allowed: "Dit adres aanvaardt die methode niet.",
    refused: |status| format!("De aanvraag werd geweigerd ({status})."),
    other_website: "Deze aanvraag kwam van een andere website en werd geweigerd. Open Wijkpost zelf en probeer opnieuw.",
    origin_unknown: "Niet na te gaan of deze aanvraag van de pagina's van Wijkpost zelf komt (geen Origin-header). \
        API-clients: stuur een Origin-header voor deze site, of meld je aan met een toestelsleutel.",
    unknown_endpoint: |method, path| format!("Er is geen API-adres {method} {path}. Controleer het pad en de methode."),
    wrong_host: |public, host| {
        format!(
            "Deze server is Wijkpost op {public}, niet '{host}'. Open Wijkpost op zijn eigen adres; \
             is dat dit adres, zet dan WIJKPOST_PUBLIC_ORIGIN erop."
        )
    },
    no_host: "De aanvraag noemt geen host (Host-header). Stuur de host van Wijkpost mee.",
    device_required: "Registreer deze telefoon eerst: meld je erop aan, dan krijgt hij een eigen toestelsleutel om te synchroniseren.",
    batch_too_large: |max, count| {
        format!("Een synchronisatie bevat hoogstens {max} wijzigingen, niet {count}; stuur ze in delen.")
    },
    record_not_synced: "De melding bij deze foto staat nog niet op de server. Verstuur eerst de melding; de foto volgt daarna vanzelf.",
    photo_too_large: |mib| format!("Deze foto is te groot: hoogstens {mib} MiB. Verklein hem en probeer opnieuw."),
    unsupported_photo_type: "Foto's worden als JPEG (image/jpeg) aanvaard, niet in dit formaat.",
    chunk_too_large: |kib| format!("Stuur de foto in delen van hoogstens {kib} KiB."),
    offset_mismatch: |received| {
        format!("Dit deel past niet: de server heeft {received} bytes. Ga verder vanaf byte {received}.")
    },
    chunk_past_end: |size| format!("Dit deel loopt voorbij de aangekondigde grootte van {size} bytes."),
    photo_mismatch: "De ontvangen foto komt niet overeen met de aangekondigde grootte en controlesom. Hij wordt opnieuw verstuurd vanaf het begin.",
    not_a_jpeg: "Het ontvangen bestand is geen JPEG-foto. Neem de foto opnieuw.",
};

static EN: RefusalMessages = RefusalMessages {
    body_too_large: |kib| format!("The request is too large: at most {kib} KiB is accepted."),
    too_large: "The request is too large.",
    method_not_allowed: "This address does not accept that method.",
    refused: |status| format!("The request was refused ({status})."),
    other_website: "This request came from another website and was refused. Open Wijkpost itself and try again.",
    origin_unknown: "This request could not be verified as coming from Wijkpost's own pages (no Origin header). \
        API clients: send an Origin header for this site, or authenticate with a device credential.",
    unknown_endpoint: |method, path| format!("There is no API endpoint {method} {path}. Check the path and method."),
    wrong_host: |public, host| {
        format!(
            "This server is Wijkpost at {public}, not '{host}'. Open Wijkpost at its own address; \
             if that is the address, set WIJKPOST_PUBLIC_ORIGIN to it."
        )
    },
    no_host: "The request names no host (Host header). Send the host of Wijkpost.",
    device_required: "Register this phone first: log in on it so it gets its own device credential to sync with.",
    batch_too_large: |max, count| format!("A push holds at most {max} mutations, not {count}; send them in parts."),
    record_not_synced:
        "The signal this photo belongs to is not on the server yet. Send the signal first; the photo follows by itself.",
    photo_too_large: |mib| format!("This photo is too large: at most {mib} MiB. Make it smaller and try again."),
    unsupported_photo_type: "Photos are accepted as JPEG (image/jpeg), not in this format.",
    chunk_too_large: |kib| format!("Send the photo in chunks of at most {kib} KiB."),
    offset_mismatch: |received| {
        format!("This chunk does not fit: the server holds {received} bytes. Resume from byte {received}.")
    },
    chunk_past_end: |size| format!("This chunk runs past the declared size of {size} bytes."),
    photo_mismatch:
        "The photo received does not match its declared size and checksum. It is sent again from the start.",
    not_a_jpeg: "The file received is not a JPEG photo. Take the photo again.",
};

static FR: RefusalMessages = RefusalMessages {
    body_too_large: |kib| format!("La requête est trop volumineuse\u{a0}: {kib} Kio au plus sont acceptés."),
    too_large: "La requête est trop volumineuse.",
    method_not_allowed: "Cette adresse n'accepte pas cette méthode.",
    refused: |status| format!("La requête a été refusée ({status})."),
    other_website: "Cette requête venait d'un autre site web et a été refusée. Ouvrez Wijkpost lui-même et réessayez.",
    origin_unknown: "Impossible de vérifier que cette requête vient des pages de Wijkpost (pas d'en-tête Origin). \
        Clients de l'API\u{a0}: envoyez un en-tête Origin de ce site, ou authentifiez-vous avec une clé d'appareil.",
    unknown_endpoint: |method, path| {
        format!("Il n'y a pas de point d'accès API {method} {path}. Vérifiez le chemin et la méthode.")
    },
    wrong_host: |public, host| {
        format!(
            "Ce serveur est Wijkpost à l'adresse {public}, pas «\u{a0}{host}\u{a0}». Ouvrez Wijkpost à sa propre adresse\u{a0}; \
             si c'est bien celle-ci, réglez WIJKPOST_PUBLIC_ORIGIN sur elle."
        )
    },
    no_host: "La requête ne nomme aucun hôte (en-tête Host). Envoyez l'hôte de Wijkpost.",
    device_required: "Enregistrez d'abord ce téléphone\u{a0}: connectez-vous dessus pour qu'il reçoive sa propre clé d'appareil.",
    batch_too_large: |max, count| {
        format!("Un envoi contient au plus {max} modifications, pas {count}\u{a0}; envoyez-les en plusieurs fois.")
    },
    record_not_synced: "Le signalement de cette photo n'est pas encore sur le serveur. Envoyez d'abord le signalement\u{a0}; la photo suivra d'elle-même.",
    photo_too_large: |mib| format!("Cette photo est trop grande\u{a0}: {mib} Mio au plus. Réduisez-la et réessayez."),
    unsupported_photo_type: "Les photos sont acceptées en JPEG (image/jpeg), pas dans ce format.",
    chunk_too_large: |kib| format!("Envoyez la photo en morceaux de {kib} Kio au plus."),
    offset_mismatch: |received| {
        format!("Ce morceau ne convient pas\u{a0}: le serveur a {received} octets. Reprenez à l'octet {received}.")
    },
    chunk_past_end: |size| format!("Ce morceau dépasse la taille annoncée de {size} octets."),
    photo_mismatch: "La photo reçue ne correspond pas à la taille et à la somme de contrôle annoncées. Elle est renvoyée depuis le début.",
    not_a_jpeg: "Le fichier reçu n'est pas une photo JPEG. Reprenez la photo.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_numbers_a_person_acts_on_are_in_every_language() {
        for locale in Locale::ALL {
            let m = locale.refusals();
            assert!((m.body_too_large)(64).contains("64"), "{locale:?}");
            assert!((m.batch_too_large)(500, 501).contains("500"), "{locale:?}");
            assert!((m.offset_mismatch)(1024).contains("1024"), "{locale:?}");
            assert!((m.unknown_endpoint)("GET", "/api/v1/x").contains("GET /api/v1/x"), "{locale:?}");
            assert!(
                (m.wrong_host)("https://w.example", "evil.example").contains("WIJKPOST_PUBLIC_ORIGIN"),
                "{locale:?}"
            );
        }
        assert_ne!(Locale::Nl.refusals().other_website, Locale::Fr.refusals().other_website);
    }
}
