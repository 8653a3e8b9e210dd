//! The server's photo check (`service::jpeg::strip_metadata`, run on every uploaded
//! photo before it is stored) on any bytes.
//!
//! Properties of an accepted photo, judged by a reading of the JPEG standard of its
//! own (`jpeg_walk`), as a viewer or an EXIF reader would read the stored file: it is
//! one whole JPEG from SOI to EOI and nothing after; it holds no APPn (but APP14) or
//! COM segment anywhere, before or between scans; where the upload itself is
//! well-formed (no stray bytes), every other segment and all scan data are kept byte
//! for byte (fill bytes aside), in order;
//! it is never longer than the upload; and stripping it again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wijkpost_fuzz::jpeg::strip_metadata;
use wijkpost_fuzz::jpeg_walk::{is_metadata, walk};

fuzz_target!(|data: &[u8]| {
    let Ok(stripped) = strip_metadata(data.to_vec()) else { return };
    let Some((pieces, used)) = walk(&stripped, false) else {
        panic!("the stored photo is not a JPEG a viewer can read through: {stripped:02X?}")
    };
    assert_eq!(used, stripped.len(), "bytes after the end of the image are stored");
    assert!(!pieces.iter().any(is_metadata), "metadata survived: {pieces:02X?}");
    assert!(stripped.len() <= data.len(), "stripping added bytes");
    if let Some((original, _)) = walk(data, true) {
        let kept: Vec<_> = original.into_iter().filter(|p| !is_metadata(p)).collect();
        assert_eq!(pieces, kept, "the image's own segments and data changed");
    }
    assert_eq!(strip_metadata(stripped.clone()).as_ref(), Ok(&stripped), "stripping twice changes something");
});
