//! A signal's photo on the phone: made small and clean before it is saved, then
//! uploaded in chunks once its signal is on the server.
//!
//! The browser does the image work (`createImageBitmap`, a canvas, `toBlob`): it
//! decodes every format the camera makes, applies the EXIF orientation, and its JPEG
//! encoder writes pixels only, so the EXIF block with GPS position, time and camera
//! serial is gone by construction. An image crate compiled to WASM would add some
//! hundreds of KiB to the bundle and decode several times slower than the browser.

use domain::photo::{fitted, PhotoDeclaration, PhotoState, MAX_CHUNK_BYTES};
use domain::{PhotoId, RecordId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::net::{self, Failed};
use crate::phone::SaveError;

const JPEG_QUALITY: f64 = 0.82;

/// A photo made ready on the phone, not yet tied to a signal.
#[derive(Debug, Clone)]
pub struct PreparedPhoto {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// What the phone keeps about a photo waiting for upload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PhotoMeta {
    pub photo_id: PhotoId,
    pub signal_id: RecordId,
    pub size: u64,
    pub sha256: String,
}

impl PhotoMeta {
    pub fn new(photo_id: PhotoId, signal_id: RecordId, bytes: &[u8]) -> Self {
        Self { photo_id, signal_id, size: bytes.len() as u64, sha256: hex_sha256(bytes) }
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn photo_error(err: JsValue) -> SaveError {
    SaveError::Photo(err.as_string().unwrap_or_else(|| format!("{err:?}")))
}

/// Decodes, downscales and re-encodes a chosen photo as a metadata-free JPEG.
pub async fn prepare_photo(file: web_sys::File) -> Result<PreparedPhoto, SaveError> {
    let window = web_sys::window().ok_or(SaveError::NoStorage)?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(&file).map_err(photo_error)?)
            .await
            .map_err(photo_error)?
            .unchecked_into();
    let (width, height) = fitted(bitmap.width(), bitmap.height());
    let document = window.document().ok_or(SaveError::NoStorage)?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").map_err(photo_error)?.unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(photo_error)?
        .ok_or_else(|| SaveError::Photo("no 2d canvas".into()))?
        .unchecked_into();
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, f64::from(width), f64::from(height))
        .map_err(photo_error)?;
    bitmap.close();
    let blob = to_jpeg(&canvas).await?;
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(photo_error)?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Ok(PreparedPhoto { bytes, width, height })
}

async fn to_jpeg(canvas: &web_sys::HtmlCanvasElement) -> Result<web_sys::Blob, SaveError> {
    let canvas = canvas.clone();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let refuse = reject.clone();
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = if blob.is_null() {
                reject.call1(&JsValue::NULL, &"the browser could not encode the photo".into())
            } else {
                resolve.call1(&JsValue::NULL, &blob)
            };
        });
        if let Err(err) =
            canvas.to_blob_with_type_and_encoder_options(done.unchecked_ref(), "image/jpeg", &JPEG_QUALITY.into())
        {
            let _ = refuse.call1(&JsValue::NULL, &err);
        }
    });
    let blob = JsFuture::from(promise).await.map_err(photo_error)?;
    Ok(blob.unchecked_into())
}

/// Uploads one photo, resuming where the server says it stands.
pub async fn upload(credential: &str, meta: &PhotoMeta, bytes: &[u8]) -> Result<PhotoState, Failed> {
    let declaration = PhotoDeclaration {
        signal_id: meta.signal_id,
        content_type: "image/jpeg".into(),
        size: meta.size,
        sha256: meta.sha256.clone(),
    };
    let mut state = net::declare_photo(credential, meta.photo_id, &declaration).await?;
    while !state.complete {
        let from = usize::try_from(state.received).unwrap_or(usize::MAX).min(bytes.len());
        let to = (from + MAX_CHUNK_BYTES).min(bytes.len());
        state = match net::send_chunk(credential, meta.photo_id, from as u64, &bytes[from..to]).await {
            Ok(state) => state,
            // Someone (an earlier try whose answer was lost) got further: ask and go on.
            Err(Failed { code: Some(code), .. }) if code == "offset_mismatch" => {
                net::declare_photo(credential, meta.photo_id, &declaration).await?
            }
            Err(failed) => return Err(failed),
        };
    }
    Ok(state)
}
