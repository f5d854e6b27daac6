//! After a quiet spell of reads, a replica answers from its copy of the app without a database
//! transaction. A payment sent to each replica at that moment finds, on one of them, that the other
//! wrote the app meanwhile: it runs again on the committed state instead of failing, so both are
//! paid and neither answers 503.

use std::{thread, time::Duration};

use super::{at_once, count, replicas};
use crate::helpers::{
    cib::{payment, DEMO_ACCOUNT},
    decimal,
};

#[test]
fn payments_raced_on_both_replicas_after_a_quiet_spell_of_reads_are_all_paid() {
    let (a, b, _) = replicas("current");
    let both = [&a, &b];
    let opening = a.balance(DEMO_ACCOUNT);

    for round in 0..3 {
        // Reads only, then quiet: each replica's next request may run on its copy.
        for replica in both {
            replica.balance(DEMO_ACCOUNT);
            replica.balance(DEMO_ACCOUNT);
        }
        thread::sleep(Duration::from_millis(1200));
        let answers = at_once(2, |i| {
            both[i].pay(&payment(&format!("RCUR{round}{i}"), "IFS", "1.00"))
        });
        assert_eq!(count(&answers, "SUCCESS", None), 2, "{answers:?}");
    }

    for replica in both {
        assert_eq!(replica.balance(DEMO_ACCOUNT), opening - decimal("6.00"));
        for round in 0..3 {
            for i in 0..2 {
                let inquiry = replica.inquire(&format!("RCUR{round}{i}"));
                assert_eq!(inquiry["STATUS"], "SUCCESS", "{inquiry}");
            }
        }
    }
}
