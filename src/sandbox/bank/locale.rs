//! `EN_IN`: the Indian-English locale for `fake`, which ships none. Synthetic people and addresses are
//! drawn through `fake` with this locale, so a synthetic PAN holder is called Iyer or Khan, not Smith.

use fake::{faker::impls::address::CityNameGenFn, locales::Data};

#[allow(non_camel_case_types)]
#[derive(Copy, Clone)]
pub struct EN_IN;

impl Data for EN_IN {
    const NAME_FIRST_NAME: &'static [&'static str] = &[
        "Aarav", "Aditi", "Aditya", "Akash", "Ananya", "Anil", "Anjali", "Arjun", "Aruna",
        "Ayesha", "Bhavna", "Deepak", "Divya", "Farhan", "Fatima", "Gaurav", "Geeta", "Harpreet",
        "Imran", "Ishaan", "Jaya", "Kavya", "Kiran", "Krishna", "Lakshmi", "Madhu", "Manoj",
        "Meera", "Mohit", "Naveen", "Neha", "Nikhil", "Pooja", "Pradeep", "Priya", "Rahul",
        "Rajesh", "Ramesh", "Ritu", "Rohan", "Sakshi", "Sanjay", "Shreya", "Simran", "Sneha",
        "Suresh", "Tanvi", "Varun", "Vikram", "Zoya",
    ];
    const NAME_LAST_NAME: &'static [&'static str] = &[
        "Agarwal",
        "Banerjee",
        "Bhat",
        "Chatterjee",
        "Das",
        "Desai",
        "Fernandes",
        "Ghosh",
        "Gupta",
        "Iyer",
        "Jain",
        "Joshi",
        "Kapoor",
        "Khan",
        "Kulkarni",
        "Kumar",
        "Menon",
        "Mehta",
        "Mishra",
        "Mukherjee",
        "Nair",
        "Pandey",
        "Patel",
        "Pillai",
        "Rao",
        "Reddy",
        "Saxena",
        "Sharma",
        "Shetty",
        "Singh",
        "Sinha",
        "Thomas",
        "Trivedi",
        "Varma",
        "Verma",
        "Yadav",
    ];
    const NAME_TITLE: &'static [&'static str] = &["Shri", "Smt", "Kumari", "Dr."];
    const ADDRESS_STREET_SUFFIX: &'static [&'static str] = &[
        "Road",
        "Marg",
        "Nagar",
        "Street",
        "Layout",
        "Colony",
        "Lane",
        "Main Road",
    ];
    const ADDRESS_STATE: &'static [&'static str] = &[
        "Maharashtra",
        "Karnataka",
        "Tamil Nadu",
        "Delhi",
        "Gujarat",
        "West Bengal",
        "Telangana",
        "Kerala",
        "Uttar Pradesh",
        "Rajasthan",
        "Punjab",
        "Madhya Pradesh",
    ];
    const ADDRESS_COUNTRY: &'static [&'static str] = &["India"];
    const ADDRESS_COUNTRY_CODE: &'static [&'static str] = &["IN"];
    const ADDRESS_BUILDING_NUMBER_FORMATS: &'static [&'static str] = &["###", "##", "#"];
    const ADDRESS_ZIP_FORMATS: &'static [&'static str] = &["######"];
    const ADDRESS_POSTCODE_FORMATS: &'static [&'static str] = &["######"];
}

impl CityNameGenFn for EN_IN {}

/// The female first names of [`EN_IN`]: a synthetic person's PAN title (Shri / Smt / Kumari) follows it.
pub const FEMALE_FIRST_NAMES: &[&str] = &[
    "Aditi", "Ananya", "Anjali", "Aruna", "Ayesha", "Bhavna", "Divya", "Fatima", "Geeta", "Jaya",
    "Kavya", "Lakshmi", "Madhu", "Meera", "Neha", "Pooja", "Priya", "Ritu", "Sakshi", "Shreya",
    "Simran", "Sneha", "Tanvi", "Zoya",
];

/// Real cities with their states: fake's city templates ("{FirstName} ville") do not fit India.
pub const CITY_STATE: &[(&str, &str)] = &[
    ("Mumbai", "Maharashtra"),
    ("Pune", "Maharashtra"),
    ("Bengaluru", "Karnataka"),
    ("Mysuru", "Karnataka"),
    ("Chennai", "Tamil Nadu"),
    ("Coimbatore", "Tamil Nadu"),
    ("New Delhi", "Delhi"),
    ("Ahmedabad", "Gujarat"),
    ("Surat", "Gujarat"),
    ("Kolkata", "West Bengal"),
    ("Hyderabad", "Telangana"),
    ("Kochi", "Kerala"),
    ("Thiruvananthapuram", "Kerala"),
    ("Lucknow", "Uttar Pradesh"),
    ("Jaipur", "Rajasthan"),
    ("Chandigarh", "Chandigarh"),
    ("Indore", "Madhya Pradesh"),
    ("Bhubaneswar", "Odisha"),
];
