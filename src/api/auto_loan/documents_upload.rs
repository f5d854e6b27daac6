//! `POST /api/v1/auto-loan/documents` [sandbank]: statement and KYC document metadata (the sandbox keeps
//! the name and SHA-256, never the file). Allowed in `ELIGIBLE` and `DOCUMENTS_RECEIVED`; once a KYC
//! document (PAN, AADHAAR or PASSPORT) and a BANK_STATEMENT are in, the application is
//! `DOCUMENTS_RECEIVED`. A SHA-256 of 64 zeros is unreadable (`AL301`) and not kept; an application
//! keeps at most 20 documents (`AL302`).

use crate::api::sample;
use crate::sandbox::bank::formats::{ApplicationNo, DocumentFileName, Sha256};
use poem_openapi::{types::Example, Object};
use serde::Deserialize;

use crate::{
    api::NamedExample,
    sandbox::{bank::answer::Answer, gateway::apps::App, Sandbox},
};

use super::{
    codes,
    model::{Decline, Document, DocumentType, Outcome, Stage, Step},
    state::AutoLoanBook,
};

/// The most documents an application keeps.
const MAX_DOCUMENTS: usize = 20;

/// The magic SHA-256 of an unreadable document.
const UNREADABLE: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "AutoLoanDocumentRequest")]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct DocumentRequest {
    pub application_no: ApplicationNo,
    pub document_type: DocumentType,
    /// 1 to 255 characters, no path separators, not blank.
    pub file_name: DocumentFileName,
    /// The file's SHA-256, 64 hex digits (answered in lower case). All zeros: unreadable (`AL301`).
    pub sha256: Sha256,
}

impl poem_openapi::types::Example for DocumentRequest {
    fn example() -> Self {
        Self {
            application_no: sample("ALN8042395748"),
            document_type: DocumentType::Pan,
            file_name: sample("pan-card.jpg"),
            sha256: sample("5d41402abc4b2a76b9719d911017c592ae9c4a6f1d3e3f0b7f1b26d0e4c3a2b1"),
        }
    }
}

/// The walk-through sends both documents sanction needs: the KYC, then the bank statement.
pub fn examples() -> Vec<NamedExample> {
    let statement = DocumentRequest {
        document_type: DocumentType::BankStatement,
        file_name: sample("statement-2026-03.pdf"),
        sha256: sample("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        ..DocumentRequest::example()
    };
    NamedExample::all([
        ("kyc", "A KYC document (PAN)", DocumentRequest::example()),
        ("statement", "The bank statement", statement),
    ])
}

#[derive(Object, Debug)]
#[oai(rename = "AutoLoanDocumentData")]
#[oai(rename_all = "camelCase")]
pub struct DocumentData {
    pub application_no: String,
    /// The document's id within the application.
    pub document_id: String,
    pub state: Stage,
    /// What is still needed before sanction (empty once complete).
    pub pending_documents: Vec<String>,
}

enveloped_answer!(
    DocumentResponse,
    schema "AutoLoanDocumentResponse",
    Outcome,
    data DocumentData,
    "Received, or `AL201` / `AL202` / `AL301` / `AL302`."
);

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: DocumentRequest,
) -> Answer<DocumentResponse> {
    let result = sandbox.family(app, AutoLoanBook::new, |book, ctx| {
        let application = book.application(&request.application_no)?;
        application.expect(Step::Documents)?;
        if request.sha256 == UNREADABLE {
            return Err(Decline::new(
                codes::DOCUMENT_UNREADABLE,
                format!("{} could not be read: upload it again", request.file_name),
            ));
        }
        if application.documents.len() >= MAX_DOCUMENTS {
            return Err(Decline::new(
                codes::TOO_MANY_DOCUMENTS,
                format!(
                    "Application {} already holds {MAX_DOCUMENTS} documents",
                    application.no
                ),
            ));
        }
        let id = format!("{}-D{:02}", application.no, application.documents.len() + 1);
        application.documents.push(Document {
            id: id.clone(),
            document_type: request.document_type,
            file_name: request.file_name.to_string(),
            sha256: request.sha256.to_string(),
            received_at: ctx.now,
        });
        if application.stage == Stage::Eligible && application.documents_complete() {
            application.move_to(Stage::DocumentsReceived, ctx.now);
        }
        Ok((
            format!("{} received", request.file_name),
            DocumentData {
                application_no: application.no.clone(),
                document_id: id,
                state: application.stage,
                pending_documents: application.pending_documents(),
            },
        ))
    });
    Answer(DocumentResponse::of(result))
}
