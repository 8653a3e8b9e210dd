//! Checking that an uploaded photo is a JPEG and dropping its metadata on the server.
//!
//! The phone already re-encodes every photo through a canvas, which drops EXIF (and
//! with it the GPS position, the camera, the time). Done again here as defence in
//! depth: an old app version, a bug, or a client that is not the app at all must not
//! put a photo with someone's whereabouts in the store. `img-parts` reads the segments
//! without decoding the image, so nothing is re-encoded (no quality loss) and no image
//! codec runs on untrusted bytes.
//!
//! `img-parts` hands everything after the first scan header over as one opaque tail.
//! That tail is walked by hand below (a few lines of the JPEG marker syntax) for two
//! things the crate leaves alone: segments between the scans of a progressive JPEG,
//! where metadata could hide too, and bytes after the end-of-image marker (a "motion
//! photo" appends a whole video there).

use img_parts::jpeg::{markers, Jpeg, JpegSegment};
use img_parts::Bytes;

/// Why the bytes are not a JPEG this server stores.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a JPEG image: {0}")]
pub struct NotJpeg(&'static str);

/// APP0…APP15 (JFIF, EXIF, XMP, ICC, maker notes, …) and comments: what a photo says
/// besides its pixels. APP14 stays: it only says how the colours were transformed, and
/// without it some decoders would show the wrong colours.
fn is_metadata(marker: u8) -> bool {
    ((markers::APP0..=markers::APP15).contains(&marker) && marker != markers::APP14) || marker == markers::COM
}

/// A start-of-frame marker: C0–CF except DHT (C4), JPG (C8) and DAC (CC).
fn is_frame(marker: u8) -> bool {
    (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// What may come before the first scan and is read by `img-parts` as the standard says:
/// frames and tables (C0–CF), quantisation tables, the restart interval, APPn and
/// comments. `img-parts` reads every other marker without a length, which the standard
/// gives all but RST0–7 and TEM, and writes it back as `FF xx 00 00`: the stored file
/// would then be read differently by a viewer, and a segment the stripper took for
/// image data could be metadata to it (found by `fuzz/` target `jpeg_strip`).
fn is_header_segment(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF | markers::DQT | markers::DRI | markers::COM)
        || (markers::APP0..=markers::APP15).contains(&marker)
}

/// The photo without its metadata; refused unless it has a frame, a scan and an end.
pub fn strip_metadata(photo: Vec<u8>) -> Result<Vec<u8>, NotJpeg> {
    let total = photo.len();
    let original = Bytes::from(photo);
    let mut jpeg = Jpeg::from_bytes(original.clone()).map_err(|_| NotJpeg("no JPEG structure"))?;
    let segments = jpeg.segments_mut();
    let scan = segments.pop().filter(JpegSegment::has_entropy).ok_or(NotJpeg("no image data"))?;
    // A scan header names at least one component (6 bytes, T.81 B.2.3). `img-parts`
    // writes a segment with empty contents without its entropy data too, which stored
    // a "photo" cut off before its image (found by `fuzz/` target `jpeg_strip`).
    if scan.contents().len() < 6 {
        return Err(NotJpeg("no scan header"));
    }
    if !segments.iter().any(|s| is_frame(s.marker())) {
        return Err(NotJpeg("no frame header"));
    }
    if !segments.iter().all(|s| is_header_segment(s.marker())) {
        return Err(NotJpeg("a segment this server does not read"));
    }
    segments.retain(|s| !is_metadata(s.marker()));
    // The scan's entropy is the rest of the file, as `Jpeg::from_bytes` left it.
    let tail = original.slice(total - (scan.len_with_entropy() - scan.len())..);
    let tail = clean_tail(&tail).ok_or(NotJpeg("no end of image"))?;
    segments.push(JpegSegment::new_with_entropy(scan.marker(), scan.contents().clone(), Bytes::from(tail)));
    let mut stripped = Vec::with_capacity(total);
    jpeg.encoder().write_to(&mut stripped).map_err(|_| NotJpeg("cannot be written back"))?;
    Ok(stripped)
}

/// The entropy-coded data and whatever segments lie between scans, up to and including
/// the end-of-image marker, without metadata segments; `None` when it never ends.
fn clean_tail(tail: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(tail.len());
    let mut i = 0;
    while i < tail.len() {
        if tail[i] != 0xFF {
            out.push(tail[i]);
            i += 1;
            continue;
        }
        match *tail.get(i + 1)? {
            // A stuffed 0xFF data byte, or a restart marker: part of the scan. TEM (01)
            // has no length either: read with one, it hid the bytes after it, where a
            // viewer finds segments (found by `fuzz/` target `jpeg_strip`).
            0x00 | 0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&tail[i..i + 2]);
                i += 2;
            }
            // A fill byte before a marker.
            0xFF => i += 1,
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Some(out);
            }
            // A second start of image: no viewer reads on.
            0xD8 => return None,
            marker => {
                let length = usize::from(u16::from_be_bytes([*tail.get(i + 2)?, *tail.get(i + 3)?]));
                let end = i + 2 + length;
                if length < 2 || end > tail.len() {
                    return None;
                }
                if !is_metadata(marker) {
                    out.extend_from_slice(&tail[i..end]);
                }
                i = end;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, contents: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0xFF, marker];
        bytes.extend_from_slice(&u16::try_from(contents.len() + 2).unwrap().to_be_bytes());
        bytes.extend_from_slice(contents);
        bytes
    }

    /// An 8×8 grey JPEG, with metadata where a camera and an editor would put it.
    fn photo(scan_tail: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8];
        bytes.extend(segment(markers::APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        bytes.extend(segment(markers::APP1, b"Exif\0\0GPS 51.2194N 4.4025E"));
        bytes.extend(segment(markers::COM, b"Jan Janssens"));
        bytes.extend(segment(0xDB, &[&[0u8][..], &[1u8; 64][..]].concat()));
        bytes.extend(segment(0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
        bytes.extend(segment(0xC4, &[&[0x00, 1][..], &[0u8; 15][..], &[0][..]].concat()));
        bytes.extend(segment(0xC4, &[&[0x10, 1][..], &[0u8; 15][..], &[0][..]].concat()));
        bytes.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));
        bytes.extend_from_slice(scan_tail);
        bytes
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn metadata_goes_and_the_image_stays() {
        let original = photo(&[0x3F, 0xFF, 0x00, 0xFF, 0xD9]);
        let stripped = strip_metadata(original.clone()).expect("a JPEG");
        assert!(!contains(&stripped, b"GPS") && !contains(&stripped, b"Janssens") && !contains(&stripped, b"JFIF"));
        assert!(stripped.starts_with(&[0xFF, 0xD8]) && stripped.ends_with(&[0x3F, 0xFF, 0x00, 0xFF, 0xD9]));
        let dqt_on = original.windows(2).position(|w| w == [0xFF, 0xDB]).unwrap();
        assert_eq!(&stripped[2..], &original[dqt_on..], "everything but the metadata is byte for byte the same");
        assert_eq!(
            strip_metadata(stripped.clone()).expect("still a JPEG"),
            stripped,
            "stripping twice changes nothing"
        );
    }

    #[test]
    fn metadata_between_scans_and_after_the_end_goes_too() {
        let mut tail = vec![0x3F];
        tail.extend(segment(markers::APP1, b"http://ns.adobe.com/xap/1.0/ Jan"));
        tail.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));
        tail.extend_from_slice(&[0x3F, 0xFF, 0xD0, 0x3F, 0xFF, 0xD9]);
        tail.extend_from_slice(b"....ftypmp42 a motion photo's video");
        let stripped = strip_metadata(photo(&tail)).expect("a JPEG");
        assert!(!contains(&stripped, b"adobe") && !contains(&stripped, b"ftyp"));
        assert!(stripped.ends_with(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x3F, 0xFF, 0xD0, 0x3F, 0xFF, 0xD9]));
    }

    #[test]
    fn what_is_not_a_whole_jpeg_is_refused() {
        assert!(strip_metadata(b"\x89PNG\r\n\x1a\n".to_vec()).is_err(), "another format");
        assert!(strip_metadata(vec![0xFF, 0xD8, 0xFF, 0xD9]).is_err(), "no image data");
        assert!(strip_metadata(photo(&[0x3F, 0x00])).is_err(), "cut off before its end");
        let mut no_frame = photo(&[0x3F, 0xFF, 0xD9]);
        let sof = no_frame.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        no_frame[sof + 1] = 0xC8;
        assert!(strip_metadata(no_frame).is_err(), "no frame header");
        assert!(strip_metadata(Vec::new()).is_err());
    }

    #[test]
    fn markers_without_a_length_hide_nothing_after_them() {
        // TEM, then what a viewer reads as an APP1 (and the stripper once kept as TEM's
        // "contents").
        let mut tail = vec![0x3F, 0xFF, 0x01, 0x00, 0x10];
        tail.extend(segment(markers::APP1, b"Exif\0\0GPS 51.2N"));
        tail.extend_from_slice(&[0x3F, 0xFF, 0xD9]);
        let stripped = strip_metadata(photo(&tail)).expect("a JPEG");
        assert!(!contains(&stripped, b"GPS"));
        assert!(stripped.ends_with(&[0x3F, 0xFF, 0x01, 0x00, 0x10, 0x3F, 0xFF, 0xD9]));
        let nested = photo(&[0x3F, 0xFF, 0xD8, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xD9]);
        assert_eq!(strip_metadata(nested), Err(NotJpeg("no end of image")));
    }

    #[test]
    fn a_scan_without_its_header_is_refused() {
        let whole = photo(&[0x3F, 0xFF, 0xD9]);
        let sos = whole.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        let mut bare = whole[..sos].to_vec();
        bare.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x3F, 0xFF, 0xD9]);
        assert_eq!(strip_metadata(bare), Err(NotJpeg("no scan header")));
    }

    #[test]
    fn header_segments_img_parts_would_misread_are_refused() {
        // The standard gives 0x4F (and JPGn, DNL, …) a length; img-parts reads it as a
        // bare marker and wrote it back as `FF 4F 00 00`, which no viewer can follow.
        let jpeg = photo(&[0x3F, 0xFF, 0xD9]);
        for marker in [0x4F, 0xF0, 0xDC, 0xD0, 0x01, 0x00] {
            let mut odd = jpeg[..2].to_vec();
            odd.extend(segment(marker, b"\xFF\xE1\x00\x10Exif\x00\x00GPS 51.2N"));
            odd.extend_from_slice(&jpeg[2..]);
            assert_eq!(strip_metadata(odd), Err(NotJpeg("a segment this server does not read")), "{marker:02X}");
        }
        // The header segments a camera or a canvas writes all pass.
        assert!(strip_metadata(jpeg).is_ok());
    }
}
