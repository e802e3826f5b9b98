//! The shipped data files checked against the facts their `#` lines state (issue 18):
//! `un_groups2016.csv` has one row per state of `states2016.csv`, the UN regional
//! groups at their documented sizes, the P5, and the ten elected Security Council
//! members of 2016 and of 2017 filling the seats by group; `wto2016.csv` has the 164
//! members of the end of 2016, 161 of them states of `states2016.csv`.

use std::collections::BTreeMap;

use crate::common::read_csv;
use crate::repo;

/// The header and rows of a shipped CSV file, its `#` source lines skipped.
fn read_data(file: &str) -> (Vec<String>, Vec<Vec<String>>) {
    read_csv(&repo(&format!("scenarios/data/{file}")))
}

mod un_groups {
    use super::*;

    const GROUPS: [&str; 5] = [
        "african",
        "asia_pacific",
        "eastern_european",
        "latin_american_caribbean",
        "western_european_others",
    ];

    /// `un_groups2016.csv` as (iso3, name, group, permanent, elected 2016, elected 2017).
    fn rows() -> Vec<(String, String, String, bool, bool, bool)> {
        let (header, rows) = read_data("un_groups2016.csv");
        assert_eq!(
            header,
            [
                "iso3",
                "name",
                "un_regional_group",
                "unsc_permanent",
                "unsc_elected_2016",
                "unsc_elected_2017"
            ]
        );
        let flag = |cell: &str| match cell {
            "0" => false,
            "1" => true,
            other => panic!("a 0/1 flag, not {other:?}"),
        };
        rows.into_iter()
            .map(|r| {
                assert!(
                    r[2].is_empty() || GROUPS.contains(&r[2].as_str()),
                    "{}: group {:?}",
                    r[0],
                    r[2]
                );
                (
                    r[0].clone(),
                    r[1].clone(),
                    r[2].clone(),
                    flag(&r[3]),
                    flag(&r[4]),
                    flag(&r[5]),
                )
            })
            .collect()
    }

    #[test]
    fn un_groups_follow_states2016_row_by_row() {
        let (header, states) = read_data("states2016.csv");
        let iso3 = header.iter().position(|h| h == "iso3").expect("iso3");
        let name = header.iter().position(|h| h == "name").expect("name");
        let expected: Vec<(&str, &str)> = states
            .iter()
            .map(|r| (r[iso3].as_str(), r[name].as_str()))
            .collect();
        let rows = rows();
        let got: Vec<(&str, &str)> = rows.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect();
        assert_eq!(got.len(), 195);
        assert_eq!(got, expected);
    }

    #[test]
    fn un_groups_have_the_un_sizes_of_2016() {
        let rows = rows();
        let mut size: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &rows {
            *size.entry(r.2.as_str()).or_default() += 1;
        }
        // The UN's counts: 54, 53, 23, 33 and 28 members of WEOG, here with the
        // United States, its observer counted with it for elections (29).
        let expected = BTreeMap::from([
            ("", 3),
            ("african", 54),
            ("asia_pacific", 53),
            ("eastern_european", 23),
            ("latin_american_caribbean", 33),
            ("western_european_others", 29),
        ]);
        assert_eq!(size, expected);
        let group = |iso3: &str| {
            rows.iter()
                .find(|r| r.0 == iso3)
                .unwrap_or_else(|| panic!("{iso3}"))
                .2
                .clone()
        };
        // The special cases the `#` lines name.
        for weog in ["USA", "TUR", "ISR"] {
            assert_eq!(group(weog), "western_european_others", "{weog}");
        }
        for none in ["TWN", "OWID_KOS", "KIR"] {
            assert_eq!(group(none), "", "{none}");
        }
    }

    #[test]
    fn the_security_council_has_the_p5_and_ten_elected_by_group_in_2016_and_2017() {
        let rows = rows();
        let permanent: Vec<&str> = rows.iter().filter(|r| r.3).map(|r| r.0.as_str()).collect();
        assert_eq!(permanent, ["CHN", "USA", "RUS", "GBR", "FRA"]);
        // Seats by group: 3 African, 2 Asia-Pacific, 1 Eastern European, 2 Latin
        // American and Caribbean, 2 WEOG. Egypt holds the Arab seat as an African
        // member in both years, so the African and Asian five split 3/2 in both.
        let pattern = BTreeMap::from([
            ("african", 3),
            ("asia_pacific", 2),
            ("eastern_european", 1),
            ("latin_american_caribbean", 2),
            ("western_european_others", 2),
        ]);
        for (year, elected, members) in [
            (
                2016,
                rows.iter().filter(|r| r.4).collect::<Vec<_>>(),
                [
                    "AGO", "EGY", "ESP", "JPN", "MYS", "NZL", "SEN", "UKR", "URY", "VEN",
                ],
            ),
            (
                2017,
                rows.iter().filter(|r| r.5).collect::<Vec<_>>(),
                [
                    "BOL", "EGY", "ETH", "ITA", "JPN", "KAZ", "SEN", "SWE", "UKR", "URY",
                ],
            ),
        ] {
            let mut iso3: Vec<&str> = elected.iter().map(|r| r.0.as_str()).collect();
            iso3.sort_unstable();
            assert_eq!(iso3, members, "{year}");
            assert!(elected.iter().all(|r| !r.3), "{year}: an elected P5 member");
            let mut by_group: BTreeMap<&str, usize> = BTreeMap::new();
            for r in &elected {
                *by_group.entry(r.2.as_str()).or_default() += 1;
            }
            assert_eq!(by_group, pattern, "{year}");
        }
        // Italy sat in 2017 and the Netherlands in 2018 on their split term.
        let netherlands = rows.iter().find(|r| r.0 == "NLD").expect("NLD");
        assert!(!netherlands.5);
    }
}

mod wto {
    use super::*;

    /// The 33 UN member states that were not WTO members at the end of 2016.
    const NON_MEMBERS: [&str; 33] = [
        "DZA", "AND", "AZE", "BHS", "BLR", "BTN", "BIH", "COM", "GNQ", "ERI", "ETH", "IRN", "IRQ",
        "KIR", "LBN", "LBY", "MHL", "FSM", "MCO", "NRU", "PRK", "PLW", "SMR", "STP", "SRB", "SOM",
        "SSD", "SDN", "SYR", "TLS", "TKM", "TUV", "UZB",
    ];

    /// `wto2016.csv` as (label, iso3, name) rows.
    fn rows() -> Vec<Vec<String>> {
        let (header, rows) = read_data("wto2016.csv");
        assert_eq!(header, ["label", "iso3", "name"]);
        rows
    }

    #[test]
    fn the_wto_had_164_members_at_the_end_of_2016() {
        let rows = rows();
        assert_eq!(rows.len(), 164);
        assert!(rows.iter().all(|r| r[0] == "wto"));
        let mut iso3: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
        iso3.sort_unstable();
        iso3.dedup();
        assert_eq!(iso3.len(), 164, "a member listed twice");
        // The three members that are not states: two customs territories and the EU.
        for code in ["HKG", "MAC", "EUU"] {
            assert!(iso3.contains(&code), "{code}");
        }
        // The 163rd and 164th members, both of July 2016.
        for code in ["LBR", "AFG"] {
            assert!(iso3.contains(&code), "{code}");
        }
    }

    #[test]
    fn wto_members_are_the_states2016_states_but_33_un_members_and_kosovo() {
        let (header, states) = read_data("states2016.csv");
        let iso3 = header.iter().position(|h| h == "iso3").expect("iso3");
        let name = header.iter().position(|h| h == "name").expect("name");
        let rows = rows();
        let listed: BTreeMap<&str, &str> = rows
            .iter()
            .map(|r| (r[1].as_str(), r[2].as_str()))
            .collect();
        let mut members = 0;
        for s in &states {
            let code = s[iso3].as_str();
            let outside = NON_MEMBERS.contains(&code) || code == "OWID_KOS";
            match listed.get(code) {
                Some(n) => {
                    assert!(!outside, "{code} is listed but was no member in 2016");
                    assert_eq!(*n, s[name], "{code}: name as in states2016.csv");
                    members += 1;
                }
                None => assert!(outside, "{code} is missing"),
            }
        }
        // 193 UN members less 33, plus Taiwan (Chinese Taipei).
        assert_eq!(members, 161);
        assert!(listed.contains_key("TWN"));
        assert!(!listed.contains_key("OWID_KOS"));
    }
}

mod regions {
    use super::*;

    /// `regions2016.csv` follows `states2016.csv` row by row, and every state has one
    /// of the five M49 regions; the spot checks are the ones its `#` lines state.
    #[test]
    fn every_state_has_an_m49_region_in_states2016_order() {
        let (header, states) = read_data("states2016.csv");
        let iso3 = header.iter().position(|h| h == "iso3").expect("iso3");
        let name = header.iter().position(|h| h == "name").expect("name");
        let (header, rows) = read_data("regions2016.csv");
        assert_eq!(header, ["iso3", "name", "m49_region", "m49_subregion"]);
        let expected: Vec<(&str, &str)> = (states.iter())
            .map(|r| (r[iso3].as_str(), r[name].as_str()))
            .collect();
        let got: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r[0].as_str(), r[1].as_str()))
            .collect();
        assert_eq!(got, expected);
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &rows {
            assert!(!r[3].is_empty(), "{}: no sub-region", r[0]);
            *count.entry(r[2].as_str()).or_default() += 1;
        }
        let count: Vec<(&str, usize)> = count.into_iter().collect();
        assert_eq!(
            count,
            [
                ("Africa", 54),
                ("Americas", 35),
                ("Asia", 48),
                ("Europe", 44),
                ("Oceania", 14)
            ]
        );
        let region = |code: &str| {
            let r = rows.iter().find(|r| r[0] == code).expect(code);
            (r[2].as_str(), r[3].as_str())
        };
        assert_eq!(region("RUS"), ("Europe", "Eastern Europe"));
        assert_eq!(region("TUR"), ("Asia", "Western Asia"));
        assert_eq!(region("AUS"), ("Oceania", "Australia and New Zealand"));
        assert_eq!(region("TWN"), ("Asia", "Eastern Asia"));
        assert_eq!(region("OWID_KOS"), ("Europe", "Southern Europe"));
    }
}

mod more_memberships {
    use super::*;

    /// The East Asia Summit of 2016: ASEAN's ten and the eight others, each with the
    /// ISO3 code and name of `states2016.csv`.
    #[test]
    fn the_east_asia_summit_had_18_members_in_2016() {
        let (header, states) = read_data("states2016.csv");
        let iso3 = header.iter().position(|h| h == "iso3").expect("iso3");
        let name = header.iter().position(|h| h == "name").expect("name");
        let names: BTreeMap<&str, &str> = (states.iter())
            .map(|r| (r[iso3].as_str(), r[name].as_str()))
            .collect();
        let (header, rows) = read_data("more_memberships.csv");
        assert_eq!(header, ["label", "iso3", "name"]);
        for r in &rows {
            assert_eq!(names.get(r[1].as_str()), Some(&r[2].as_str()), "{r:?}");
        }
        let eas: Vec<&str> = (rows.iter())
            .filter(|r| r[0] == "eas")
            .map(|r| r[1].as_str())
            .collect();
        let (_, memberships) = read_data("memberships.csv");
        let asean: Vec<&str> = (memberships.iter())
            .filter(|r| r[0] == "asean")
            .map(|r| r[1].as_str())
            .collect();
        assert_eq!(eas.len(), 18);
        assert_eq!(asean.len(), 10);
        assert!(asean.iter().all(|a| eas.contains(a)));
        for other in ["AUS", "CHN", "IND", "JPN", "NZL", "KOR", "RUS", "USA"] {
            assert!(eas.contains(&other), "{other}");
        }
    }

    /// The E3/EU+3 of the Iran nuclear talks (the P5+1): the E3 of `memberships.csv`
    /// with China, Russia and the United States, so exactly the P5 and Germany.
    #[test]
    fn the_e3_plus_3_is_the_e3_with_china_russia_and_the_united_states() {
        let (_, rows) = read_data("more_memberships.csv");
        let mut e3plus3: Vec<&str> = (rows.iter())
            .filter(|r| r[0] == "e3plus3")
            .map(|r| r[1].as_str())
            .collect();
        e3plus3.sort_unstable();
        assert_eq!(e3plus3, ["CHN", "DEU", "FRA", "GBR", "RUS", "USA"]);
        let (_, memberships) = read_data("memberships.csv");
        let members = |label: &str| -> Vec<&str> {
            let mut v: Vec<&str> = (memberships.iter())
                .filter(|r| r[0] == label)
                .map(|r| r[1].as_str())
                .collect();
            v.sort_unstable();
            v
        };
        let e3 = members("e3");
        assert_eq!(e3, ["DEU", "FRA", "GBR"]);
        assert!(e3.iter().all(|s| e3plus3.contains(s)));
        let mut p5_and_germany = members("p5");
        p5_and_germany.push("DEU");
        p5_and_germany.sort_unstable();
        assert_eq!(e3plus3, p5_and_germany);
    }

    /// The members of a group of `more_memberships.csv`, sorted.
    fn members(label: &str) -> Vec<String> {
        let (_, rows) = read_data("more_memberships.csv");
        let mut m: Vec<String> = (rows.iter())
            .filter(|r| r[0] == label)
            .map(|r| r[1].clone())
            .collect();
        m.sort();
        m
    }

    /// GCAP (2022) and FCAS (2017-2019) as founded: three states each.
    #[test]
    fn gcap_and_fcas_have_their_three_founders() {
        assert_eq!(members("gcap"), ["GBR", "ITA", "JPN"]);
        assert_eq!(members("fcas"), ["DEU", "ESP", "FRA"]);
    }

    /// The Three Seas Initiative at Dubrovnik, 2016: twelve EU member states.
    #[test]
    fn the_three_seas_initiative_had_12_members_in_2016() {
        let seas = members("three_seas");
        assert_eq!(
            seas,
            [
                "AUT", "BGR", "CZE", "EST", "HRV", "HUN", "LTU", "LVA", "POL", "ROU", "SVK", "SVN"
            ]
        );
        let (_, memberships) = read_data("memberships.csv");
        for s in &seas {
            assert!(
                (memberships.iter()).any(|r| r[0] == "eu" && &r[1] == s),
                "{s} is in the EU of 2016"
            );
        }
    }

    /// The trilateral technology dialogue of 2024: the United States, South Korea, India.
    #[test]
    fn the_trilateral_technology_dialogue_has_three_members() {
        assert_eq!(members("ttd"), ["IND", "KOR", "USA"]);
    }
}

mod egdi {
    use super::*;

    /// One row per state of `states2016.csv`, same ISO3 and name and order; the EGDI of
    /// the 193 UN members in [0, 1] and blank for Taiwan and Kosovo; population and GDP
    /// copied unchanged; the ranks the survey published (the UK first, Estonia 13th).
    #[test]
    fn egdi2016_follows_states2016_row_for_row() {
        let (sh, states) = read_data("states2016.csv");
        let (h, rows) = read_data("egdi2016.csv");
        assert_eq!(rows.len(), states.len());
        let col = |hs: &[String], c: &str| hs.iter().position(|x| x == c).expect(c);
        let egdi = col(&h, "egdi_2016");
        let rank = col(&h, "egov_rank_2016");
        for (r, s) in rows.iter().zip(&states) {
            assert_eq!(r[0], s[col(&sh, "iso3")]);
            assert_eq!(r[1], s[col(&sh, "name")]);
            for c in ["population_2016", "gdp_2016_ppp_2011intl_usd"] {
                assert_eq!(r[col(&h, c)], s[col(&sh, c)], "{c} of {}", r[0]);
            }
            if r[0] == "TWN" || r[0] == "OWID_KOS" {
                assert_eq!(r[egdi], "");
            } else {
                let v: f64 = r[egdi].parse().expect("a number");
                assert!((0.0..=1.0).contains(&v), "{r:?}");
            }
        }
        let rank_of = |iso: &str| {
            let r = rows.iter().find(|r| r[0] == iso).expect(iso);
            r[rank].clone()
        };
        assert_eq!(rank_of("GBR"), "1");
        assert_eq!(rank_of("EST"), "13");
    }
}

mod europe1936_factors {
    use super::*;

    const NATIONS: [&str; 17] = [
        "UKG", "CZE", "DEN", "EST", "FIN", "FRN", "GMY", "GRC", "HUN", "ITA", "LAT", "LIT", "POL",
        "POR", "ROM", "RUS", "YUG",
    ];

    /// `europe1936_factors.csv` (from COW Inter-State War v4.0 and Territorial Change
    /// v4.01): each unordered pair of the 17 nations of Axelrod & Bennett (1993) once,
    /// flags 0 or 1, each flag backed by the COW war or change numbers listed with the
    /// pair (1870-1935 flags by one dated 1870 or later), and facts from the COW lists:
    /// France and Germany fought in 1870 and 1914; Britain and Russia last fought in the
    /// Crimean War (1853), before the 1870 window.
    #[test]
    fn europe1936_factors_has_every_pair_once_backed_by_cow_numbers() {
        let (h, rows) = read_data("europe1936_factors.csv");
        let col = |c: &str| h.iter().position(|x| x == c).expect(c);
        assert_eq!(rows.len(), 17 * 16 / 2);
        let mut seen = std::collections::BTreeSet::new();
        for r in &rows {
            let (a, b) = (&r[col("a")], &r[col("b")]);
            let (i, j) = (
                NATIONS.iter().position(|n| n == a).expect(a),
                NATIONS.iter().position(|n| n == b).expect(b),
            );
            assert!(i < j, "{a}, {b} in the order of the scenario");
            assert!(seen.insert((i, j)));
            for (flags, evidence) in [
                (["war_opposed_1870", "war_opposed_1816"], "cow_wars"),
                (
                    ["territory_1870", "territory_1816"],
                    "cow_territorial_changes",
                ),
            ] {
                let years: Vec<u32> = (r[col(evidence)].split(';'))
                    .filter(|e| !e.is_empty())
                    .map(|e| {
                        e.split(':')
                            .nth(1)
                            .expect("number:year")
                            .parse()
                            .expect("a year")
                    })
                    .collect();
                assert!(years.iter().all(|y| (1816..=1935).contains(y)), "{r:?}");
                let since_1870 = years.iter().any(|&y| y >= 1870);
                let expected = [since_1870, !years.is_empty()].map(|f| if f { "1" } else { "0" });
                let found = [r[col(flags[0])].as_str(), r[col(flags[1])].as_str()];
                assert_eq!(found, expected, "{r:?}");
            }
        }
        let pair = |a: &str, b: &str| {
            rows.iter()
                .find(|r| r[col("a")] == a && r[col("b")] == b)
                .expect("a pair")
        };
        assert_eq!(pair("FRN", "GMY")[col("cow_wars")], "58:1870;106:1914");
        assert_eq!(pair("UKG", "RUS")[col("cow_wars")], "22:1853");
        assert_eq!(pair("UKG", "RUS")[col("war_opposed_1870")], "0");
        let count = |c: &str| rows.iter().filter(|r| r[col(c)] == "1").count();
        assert_eq!(
            [
                count("war_opposed_1870"),
                count("war_opposed_1816"),
                count("territory_1870"),
                count("territory_1816")
            ],
            [17, 21, 15, 16]
        );
    }
}
