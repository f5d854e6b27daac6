//! The composite payment's body: ONE object holding the union of the rails' fields, all optional in
//! the schema (which fields a rail needs is `x-priority`'s to say), each in its format: a malformed
//! field is refused as the body is read, whichever rails would read it.

use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::bank::formats::{
    AccountNo, Amount, ClientRef, DateTime14, FreeText, HolderName, Ifsc, Inr, Mobile, Vpa, YesOrNo,
};

/// The union of the rails' field sets, in the bank's spelling. Which fields are required depends on
/// `x-priority`: IMPS `localTxnDtTime, beneAccNo, beneIFSC, amount, tranRefNo, paymentRef, senderName,
/// mobile, retailerCode, passCode, bcID, crpId, crpUsr, aggrId`; NEFT/RTGS `tranRefNo, amount,
/// senderAcctNo, beneAccNo, beneName, beneIFSC, narration1, crpId, crpUsr, aggrId, aggrName, urn,
/// txnType, WORKFLOW_REQD` (`narration2` optional); UPI `device-id, mobile, channel-code, profile-id,
/// seq-no, payee-va, payer-va, amount, txn-type, remarks, mcc, merchant-type` (`payee-name` and
/// `currency` optional, as in the bank's sample packet). Amounts are strings or JSON numbers; the
/// references (`tranRefNo`, `seq-no`) text or whole numbers. Fields of no rail named are ignored, as
/// are fields the sandbox does not model (`account-provider`, `use-default-acc`, ...).
#[derive(Object, Deserialize, Debug, Default, Clone)]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct CompositePaymentRequest {
    /// IMPS: the client's local date-time, `yyyyMMddHHmmss`.
    pub local_txn_dt_time: Option<DateTime14>,
    /// IMPS, NEFT, RTGS: beneficiary account. Ending `0000`: invalid account.
    pub bene_acc_no: Option<AccountNo>,
    /// IMPS, NEFT, RTGS: beneficiary IFSC. A bank code not in the IFSC directory: invalid IFSC.
    #[oai(rename = "beneIFSC")]
    #[serde(rename = "beneIFSC")]
    pub bene_ifsc: Option<Ifsc>,
    /// Every rail: rupees, as a string (`"1500.00"`) or a JSON number (`1500`). Paise `.13` invalid
    /// amount, `.51` insufficient funds, `.96` backend timeout (504/8013).
    pub amount: Option<Amount>,
    /// IMPS, NEFT, RTGS: the client's unique reference (text, or a whole number). Reused: duplicate,
    /// nothing moves twice.
    pub tran_ref_no: Option<ClientRef>,
    /// IMPS: payment reference shown to the beneficiary.
    pub payment_ref: Option<BodyText>,
    /// IMPS: remitter's name.
    pub sender_name: Option<HolderName>,
    /// IMPS, UPI: remitter's mobile.
    pub mobile: Option<Mobile>,
    /// IMPS: the bank-issued retailer code.
    pub retailer_code: Option<BodyText>,
    /// IMPS: the bank-issued pass code.
    pub pass_code: Option<BodyText>,
    /// IMPS: the business correspondent id.
    #[oai(rename = "bcID")]
    #[serde(rename = "bcID")]
    pub bc_id: Option<BodyText>,
    /// IMPS, NEFT, RTGS: the corporate (fixtures/corporates.json, demo `SANDCORP1`); its account is
    /// debited.
    pub crp_id: Option<BodyText>,
    /// IMPS, NEFT, RTGS: the corporate's user (demo `SANDUSER1`).
    pub crp_usr: Option<BodyText>,
    /// IMPS, NEFT, RTGS: the aggregator (demo `SANDAGGR1`).
    pub aggr_id: Option<BodyText>,
    /// NEFT, RTGS: the aggregator's name (demo `SANDBANK`).
    pub aggr_name: Option<BodyText>,
    /// NEFT, RTGS: the corporate's URN (demo `SANDURN0001`).
    pub urn: Option<BodyText>,
    /// NEFT, RTGS: the debit account, one of the corporate's (demo `000405000001`).
    pub sender_acct_no: Option<AccountNo>,
    /// NEFT, RTGS: beneficiary's name.
    pub bene_name: Option<HolderName>,
    /// NEFT, RTGS: remarks.
    pub narration1: Option<BodyText>,
    /// NEFT, RTGS: more remarks (optional).
    pub narration2: Option<BodyText>,
    /// NEFT, RTGS: `RGS` (NEFT) or `RTG` (RTGS); informational, `x-priority` picks the rail.
    pub txn_type: Option<BodyText>,
    /// NEFT, RTGS: `N` executes at once; `Y` parks the payment in the corporate's approval workflow
    /// (PENDING, "Pending For approval", nothing moves).
    #[oai(rename = "WORKFLOW_REQD")]
    #[serde(rename = "WORKFLOW_REQD")]
    pub workflow_reqd: Option<YesOrNo>,
    /// UPI: the payer's device id.
    #[oai(rename = "device-id")]
    #[serde(rename = "device-id")]
    pub device_id: Option<BodyText>,
    /// UPI: the channel code.
    #[oai(rename = "channel-code")]
    #[serde(rename = "channel-code")]
    pub channel_code: Option<BodyText>,
    /// UPI: the payer's profile id.
    #[oai(rename = "profile-id")]
    #[serde(rename = "profile-id")]
    pub profile_id: Option<BodyText>,
    /// UPI: the client's unique sequence number (its reference, text or a whole number; reused:
    /// duplicate).
    #[oai(rename = "seq-no")]
    #[serde(rename = "seq-no")]
    pub seq_no: Option<ClientRef>,
    /// UPI: the payee's VPA; a fixture merchant's VPA credits its settlement account.
    #[oai(rename = "payee-va")]
    #[serde(rename = "payee-va")]
    pub payee_va: Option<Vpa>,
    /// UPI: the payer's VPA.
    #[oai(rename = "payer-va")]
    #[serde(rename = "payer-va")]
    pub payer_va: Option<Vpa>,
    /// UPI: the payee's name (optional; default: the VPA holder's name, as `ValidateAddress` answers
    /// it).
    #[oai(rename = "payee-name")]
    #[serde(rename = "payee-name")]
    pub payee_name: Option<BodyText>,
    /// UPI: `INR` (optional; the default).
    pub currency: Option<Inr>,
    /// UPI: `PAY`.
    #[oai(rename = "txn-type")]
    #[serde(rename = "txn-type")]
    pub txn_type_upi: Option<BodyText>,
    /// UPI: remarks.
    pub remarks: Option<BodyText>,
    /// UPI: merchant category code.
    pub mcc: Option<BodyText>,
    /// UPI: `ENTITY` or `PERSON`.
    #[oai(rename = "merchant-type")]
    #[serde(rename = "merchant-type")]
    pub merchant_type: Option<BodyText>,
}

impl poem_openapi::types::Example for CompositePaymentRequest {
    fn example() -> Self {
        let text = |s: &str| BodyText::parse(s).ok();
        Self {
            local_txn_dt_time: DateTime14::parse("20260401103000").ok(),
            bene_acc_no: AccountNo::parse("000405009999").ok(),
            bene_ifsc: Ifsc::parse("ICIC0000004").ok(),
            amount: Amount::parse("1500.00").ok(),
            tran_ref_no: Some(ClientRef("IMPS20260401000001".into())),
            payment_ref: text("FTTransferP2A"),
            sender_name: HolderName::parse("Sandbank Demo Traders").ok(),
            mobile: Mobile::parse("9800000001").ok(),
            retailer_code: text("rcode"),
            pass_code: text("447c4524c9074b8c97e3a3c40ca7458d"),
            bc_id: text("IBCKer00055"),
            crp_id: text("SANDCORP1"),
            crp_usr: text("SANDUSER1"),
            aggr_id: text("SANDAGGR1"),
            ..Self::default()
        }
    }
}

/// A free-text field of the body: 1 to 64 characters, not blank.
pub type BodyText = FreeText<64>;
