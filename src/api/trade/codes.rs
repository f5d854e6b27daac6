//! Trade's business codes (`responseCode`) and their messages, in one table.

/// The family's business codes (`responseCode`), stable and documented in the README (Trade). `TR` codes
/// are outward remittances, `BG` codes bank guarantees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Success,
    CurrencyNotSupported,
    BicNotFound,
    PurposeCodeUnknown,
    AccountNotFound,
    InsufficientFunds,
    NostroInsufficient,
    InvalidAmount,
    DuplicateReference,
    TransactionNotFound,
    InvalidBeneficiaryAccount,
    ChargesExceedAmount,
    BgSuccess,
    BgNotFound,
    BgApplicantNotFound,
    BgExpiryNotInFuture,
    BgNotAmendable,
    BgAlreadyInvoked,
    BgClaimPeriodOver,
    BgClaimAboveAmount,
    BgDuplicateReference,
    BgCurrencyNotSupported,
    BgInvalidAmount,
}

impl Code {
    pub fn code(self) -> &'static str {
        match self {
            Self::Success => "TR000",
            Self::CurrencyNotSupported => "TR001",
            Self::BicNotFound => "TR002",
            Self::PurposeCodeUnknown => "TR003",
            Self::AccountNotFound => "TR004",
            Self::InsufficientFunds => "TR005",
            Self::NostroInsufficient => "TR006",
            Self::InvalidAmount => "TR007",
            Self::DuplicateReference => "TR008",
            Self::TransactionNotFound => "TR009",
            Self::InvalidBeneficiaryAccount => "TR010",
            Self::ChargesExceedAmount => "TR011",
            Self::BgSuccess => "BG000",
            Self::BgNotFound => "BG001",
            Self::BgApplicantNotFound => "BG002",
            Self::BgExpiryNotInFuture => "BG003",
            Self::BgNotAmendable => "BG004",
            Self::BgAlreadyInvoked => "BG005",
            Self::BgClaimPeriodOver => "BG010",
            Self::BgClaimAboveAmount => "BG006",
            Self::BgDuplicateReference => "BG007",
            Self::BgCurrencyNotSupported => "BG008",
            Self::BgInvalidAmount => "BG009",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Success | Self::BgSuccess => "Success",
            Self::CurrencyNotSupported | Self::BgCurrencyNotSupported => "Currency not supported",
            Self::BicNotFound => "Beneficiary bank BIC not found in the directory",
            Self::PurposeCodeUnknown => "Purpose code not recognised",
            Self::AccountNotFound => "Account not found",
            Self::InsufficientFunds => "Insufficient funds in the remitter's account",
            Self::NostroInsufficient => "Insufficient balance in the bank's nostro account",
            Self::InvalidAmount | Self::BgInvalidAmount => "Invalid amount",
            Self::DuplicateReference => "Duplicate transactionRefNo with different details",
            Self::TransactionNotFound => "Transaction not found",
            Self::InvalidBeneficiaryAccount => "Invalid beneficiary account",
            Self::ChargesExceedAmount => "Charges exceed the remittance amount",
            Self::BgNotFound => "Bank guarantee not found",
            Self::BgApplicantNotFound => "Applicant account not found",
            Self::BgExpiryNotInFuture => "Expiry date must be after today",
            Self::BgNotAmendable => "Bank guarantee cannot be amended in its current status",
            Self::BgAlreadyInvoked => "Bank guarantee already invoked",
            Self::BgClaimPeriodOver => "Claim period has ended",
            Self::BgClaimAboveAmount => "Claim amount is above the guarantee amount",
            Self::BgDuplicateReference => "Duplicate reference with different details",
        }
    }

    pub fn status(self) -> &'static str {
        if matches!(self, Self::Success | Self::BgSuccess) {
            "SUCCESS"
        } else {
            "FAILURE"
        }
    }
}
