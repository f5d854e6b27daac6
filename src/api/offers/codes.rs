//! Banking Offers' business codes (`responseCode`) and their messages, in one table.

/// The family's business codes (`responseCode`), stable and documented in the README (Banking Offers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Success,
    CustomerNotFound,
    ApplicationNotFound,
    OfferNotFound,
    OfferExpired,
    AmountAboveOffer,
    OfferAlreadyBlocked,
    InvalidAmount,
}

impl Code {
    pub fn code(self) -> &'static str {
        match self {
            Self::Success => "OF000",
            Self::CustomerNotFound => "OF001",
            Self::ApplicationNotFound => "OF002",
            Self::OfferNotFound => "OF003",
            Self::OfferExpired => "OF004",
            Self::AmountAboveOffer => "OF005",
            Self::OfferAlreadyBlocked => "OF006",
            Self::InvalidAmount => "OF007",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Success => "Success",
            Self::CustomerNotFound => "Customer not found",
            Self::ApplicationNotFound => "Application not found",
            Self::OfferNotFound => "Offer not found for this customer",
            Self::OfferExpired => "Offer has expired",
            Self::AmountAboveOffer => "Amount is above the offered amount",
            Self::OfferAlreadyBlocked => "Offer is already blocked (availed)",
            Self::InvalidAmount => "Invalid amount",
        }
    }

    pub fn status(self) -> &'static str {
        if self == Self::Success {
            "SUCCESS"
        } else {
            "FAILURE"
        }
    }
}
