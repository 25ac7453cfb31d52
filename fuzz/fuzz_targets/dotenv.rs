//! The dotenv parser: any text parses without panicking; every key and value span is a slice
//! of the input, the key span holds the key, and entries come in file order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twelve::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut previous_end = 0;
    let file = SourceFile::new(".env".into(), ".env".into(), text.to_string());
    for entry in file.dotenv() {
        let key = text.get(entry.key_span.clone());
        assert!(
            key.is_some(),
            "key span {:?} is not a slice",
            entry.key_span
        );
        assert_eq!(
            key,
            Some(entry.key.as_str()),
            "key span does not hold the key"
        );
        assert!(
            text.get(entry.value.clone()).is_some(),
            "value span {:?} is not a slice",
            entry.value
        );
        assert!(entry.key_span.start >= previous_end, "entries out of order");
        previous_end = entry.key_span.end;
    }
});
