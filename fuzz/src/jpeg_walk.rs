//! A second reading of a JPEG's structure, written from ITU-T T.81 (B.1.1) rather than
//! from the stripper, to judge the stripper's output the way a photo viewer or an
//! EXIF reader would: every marker has a length except SOI, EOI, RST0–7 and TEM.
//! Like libjpeg, it can pass over stray bytes between segments ("extraneous bytes
//! before marker"): without an 0xFF they cannot start a segment, so cannot hide one.

/// One piece of a JPEG after its start-of-image marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// A marker with a length, and its contents (length bytes excluded).
    Segment { marker: u8, contents: &'a [u8] },
    /// RST0–7 or TEM outside a scan's data.
    Standalone(u8),
    /// The entropy-coded data after a start-of-scan, with its stuffed bytes and restart
    /// markers, up to the next marker; fill bytes (0xFF before 0xFF) left out, as a
    /// decoder skips them.
    Entropy(Vec<u8>),
}

/// The pieces of a JPEG from its SOI to its EOI, fill bytes left out, and how many
/// bytes that took; `None` where a reader following the standard would fail, or, when
/// `strict`, where the file holds a stray byte.
pub fn walk(bytes: &[u8], strict: bool) -> Option<(Vec<Piece<'_>>, usize)> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut pieces = Vec::new();
    let mut i = 2;
    loop {
        while *bytes.get(i)? != 0xFF {
            if strict {
                return None;
            }
            i += 1;
        }
        while *bytes.get(i)? == 0xFF {
            i += 1;
        }
        let marker = bytes[i];
        i += 1;
        match marker {
            0xD9 => return Some((pieces, i)),
            // A stuffed zero outside a scan is a stray byte too.
            0x00 if !strict => {}
            0x00 | 0xD8 => return None,
            0x01 | 0xD0..=0xD7 => pieces.push(Piece::Standalone(marker)),
            _ => {
                let length = usize::from(u16::from_be_bytes([*bytes.get(i)?, *bytes.get(i + 1)?]));
                if length < 2 || i + length > bytes.len() {
                    return None;
                }
                pieces.push(Piece::Segment { marker, contents: &bytes[i + 2..i + length] });
                i += length;
                if marker == 0xDA {
                    let mut data = Vec::new();
                    loop {
                        if *bytes.get(i)? != 0xFF {
                            data.push(bytes[i]);
                            i += 1;
                            continue;
                        }
                        let mut next = i + 1;
                        while *bytes.get(next)? == 0xFF {
                            next += 1;
                        }
                        match bytes[next] {
                            0x00 | 0xD0..=0xD7 => {
                                data.extend_from_slice(&[0xFF, bytes[next]]);
                                i = next + 1;
                            }
                            // A marker: the outer loop reads it.
                            _ => break,
                        }
                    }
                    pieces.push(Piece::Entropy(data));
                }
            }
        }
    }
}

/// What the stripper exists to remove: APP0–APP15 but APP14 (colour transform), and COM.
pub fn is_metadata(piece: &Piece<'_>) -> bool {
    matches!(piece, Piece::Segment { marker, .. } if ((0xE0..=0xEF).contains(marker) && *marker != 0xEE) || *marker == 0xFE)
}
