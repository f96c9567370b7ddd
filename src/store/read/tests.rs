use super::*;

fn set(ids: &[u64]) -> IdSet {
    ids.iter().map(|&id| StoryId(id)).collect()
}

fn raw(set: &IdSet) -> Vec<u64> {
    set.iter().map(|id| id.0).collect()
}

#[test]
fn id_set_operations() {
    let mut s = IdSet::new();
    assert!(s.is_empty());
    assert!(s.insert(StoryId(5)));
    assert!(s.insert(StoryId(1)));
    assert!(!s.insert(StoryId(5)));
    assert!(s.contains(StoryId(1)) && s.contains(StoryId(5)));
    assert!(!s.contains(StoryId(3)));
    assert_eq!(s.len(), 2);
    assert!(s.remove(StoryId(1)));
    assert!(!s.remove(StoryId(1)));
    assert_eq!(raw(&s), [5]);
    assert_eq!(set(&[3, 1, 3, 2]), set(&[1, 2, 3]));
}

#[test]
fn extend_merges_appends_and_fills_empty() {
    let mut s = IdSet::new();
    s.extend([9, 1, 9].map(StoryId));
    assert_eq!(raw(&s), [1, 9]);
    s.extend([20, 10].map(StoryId));
    assert_eq!(raw(&s), [1, 9, 10, 20]);
    s.extend([0, 9, 15, 30, u64::MAX].map(StoryId));
    assert_eq!(raw(&s), [0, 1, 9, 10, 15, 20, 30, u64::MAX]);
    s.extend(std::iter::empty());
    assert_eq!(s.len(), 8);
    // Many at once take the merge path.
    s.extend((0..100).map(|i| StoryId(i * 2)));
    assert_eq!(s.len(), 8 + 100 - 4, "0, 10, 20, 30 were there");
    assert!(s.contains(StoryId(198)) && s.contains(StoryId(u64::MAX)));
}

#[test]
fn remove_all_few_and_many() {
    let mut s: IdSet = (0..1000).map(StoryId).collect();
    assert!(s.remove_all(&[StoryId(5), StoryId(5000)]));
    assert!(!s.remove_all(&[StoryId(5000)]));
    let evens: Vec<StoryId> = (0..1000).filter(|i| i % 2 == 0).map(StoryId).collect();
    assert!(s.remove_all(&evens));
    assert_eq!(s.len(), 499);
    assert!(s.iter().all(|id| id.0 % 2 == 1 && id.0 != 5));
    assert!(!s.remove_all(&evens));
}

#[test]
fn encode_decode_round_trip() {
    for ids in [&[][..], &[0], &[1, 2, 3, u64::MAX]] {
        let s = set(ids);
        let bytes = encode(&s);
        assert_eq!(bytes.len(), 16 + 8 * ids.len());
        assert_eq!(&bytes[..8], b"SITIDS\x01\x00");
        assert_eq!(decode(&bytes), Decoded::Current(s));
    }
}

#[test]
fn decode_rejects_damage() {
    let good = encode(&set(&[1, 2, 3]));
    let corrupt = |bytes: &[u8]| matches!(decode(bytes), Decoded::Corrupt(_));
    assert!(corrupt(b""));
    assert!(corrupt(&good[..7]));
    assert!(corrupt(&good[..8]));
    assert!(corrupt(&good[..good.len() - 1]));
    assert!(corrupt(&good[..good.len() - 8]));
    for i in 0..good.len() {
        for bit in 0..8 {
            let mut bad = good.clone();
            bad[i] ^= 1 << bit;
            // Including the version bytes: damage, not "newer".
            assert!(corrupt(&bad), "byte {i} bit {bit}");
        }
    }
    let mut zero = good.clone();
    zero[6] = 0;
    assert!(corrupt(&zero));
}

#[test]
fn decode_newer_and_unsorted() {
    let mut newer = b"SITIDS\x02\x00anything at all".to_vec();
    let sum = xxh3_64(&newer);
    newer.extend_from_slice(&sum.to_le_bytes());
    assert_eq!(decode(&newer), Decoded::Newer(2));
    newer[10] ^= 1;
    assert!(matches!(decode(&newer), Decoded::Corrupt(_)));

    let mut unsorted = b"SITIDS\x01\x00".to_vec();
    for id in [3u64, 1, 3] {
        unsorted.extend_from_slice(&id.to_le_bytes());
    }
    let sum = xxh3_64(&unsorted);
    unsorted.extend_from_slice(&sum.to_le_bytes());
    assert_eq!(decode(&unsorted), Decoded::Current(set(&[1, 3])));
}
