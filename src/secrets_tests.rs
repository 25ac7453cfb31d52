// twelve: ignore-file[TF0301, TF0302] -- fake credentials that exercise the detectors
//! Unit tests of the secret detectors.

use super::*;

fn labels(text: &str, scope: Scope) -> Vec<&'static str> {
    find_all(text, scope).into_iter().map(|m| m.label).collect()
}

#[test]
fn known_formats_fire() {
    let cases = [
        ("key = 'AKIAZ7VRSQ5TJN2KX4PD'", "AWS access key ID"),
        (
            "aws_secret_access_key = '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'",
            "AWS secret access key",
        ),
        (
            "t = 'ghp_8fK2mQ9xL4vT7nR1cW5zB3yH6jD0sA2eP9gU'",
            "GitHub token",
        ),
        (
            "GITLAB=glpat-Xk9mT2vQ7rL4nW8pZ1cB",
            "GitLab personal access token",
        ),
        ("s = 'xoxb-2834729384-9Xk2mT7vQ4rLnW8pZ1cB'", "Slack token"),
        (
            "stripe = 'sk_live_51H8xKqL2mN9vT4rW7zB3yC6'",
            "Stripe live key",
        ),
        (
            "g = 'AIzaSyD4kX9mT2vQ7rL4nW8pZ1cB3yH6jD0sA2e'",
            "Google API key",
        ),
        (
            "npm = 'npm_8fK2mQ9xL4vT7nR1cW5zB3yH6jD0sA2eP9gU'",
            "npm access token",
        ),
        (
            "twilio_key = 'SK0a1b2c3d4e5f60718293a4b5c6d7e8f9'",
            "Twilio API key",
        ),
    ];
    for (text, label) in cases {
        assert_eq!(labels(text, Scope::Code), vec![label], "{text}");
    }
}

#[test]
fn documented_and_placeholder_keys_stay_quiet() {
    for text in [
        "key = 'AKIAIOSFODNN7EXAMPLE'",
        "aws_secret_access_key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'",
        "t = 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'",
        "k = 'SK0a1b2c3d4e5f60718293a4b5c6d7e8f9'",
        "jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'",
    ] {
        assert!(labels(text, Scope::Code).is_empty(), "{text}");
    }
}

#[test]
fn jwt_with_real_claims_fires() {
    // {"iss":"billing","role":"admin"}
    let text = "t = 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJiaWxsaW5nIiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJlLXZhbHVlLTEyMzQ1'";
    assert_eq!(labels(text, Scope::Code), vec!["JSON Web Token"]);
}

#[test]
fn pem_private_key_fires_once_with_header_span() {
    let body = "MIIEowIBAAKCAQEA7bq4x9mT2vQ7rL4nW8pZ1cB3yH6jD0sA2eP9gUqR5tYwXzV8kLmN3oP4qR7sT0uV1wX2yZ3aB4cD5eF6";
    let text = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n");
    let found = find_all(&text, Scope::Config);
    assert_eq!(found.len(), 1);
    assert_eq!(
        &text[found[0].span.clone()],
        "-----BEGIN RSA PRIVATE KEY-----"
    );
    let short = "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----";
    assert!(find_all(short, Scope::Config).is_empty());
}

#[test]
fn generic_assignments() {
    let fire = [
        ("DATABASE_PASSWORD = \"hunter2-prod\"", Scope::Code),
        ("const apiKey = 'f3a9c1e7b2d84c6a';", Scope::Code),
        ("SECRET_KEY = 'django-insecure-8x#2m$kq!v@z7'", Scope::Code),
        ("db_password: Pr0d-Passw0rd!x", Scope::Config),
        ("  password: Pr0d-Passw0rd!x", Scope::Config),
        ("config[\"secret\"] = \"9aF3kLm2Qx7TzR1w\"", Scope::Code),
        ("\"client_secret\": \"9aF3kLm2Qx7TzR1w\"", Scope::Config),
    ];
    for (text, scope) in fire {
        assert_eq!(labels(text, scope), vec!["secret"], "{text}");
    }
    let quiet = [
        ("password = os.environ['DB_PASSWORD']", Scope::Code),
        ("password = get_password()", Scope::Code),
        ("password = \"changeme\"", Scope::Code),
        ("token_type = \"bearer_token\"", Scope::Code),
        (
            "password_hash = \"a8f5f167f44f4964e6c998dee827110c\"",
            Scope::Code,
        ),
        ("secret_name = \"prod-db-credentials\"", Scope::Code),
        ("api_key = \"<your api key>\"", Scope::Code),
        ("API_KEY=${API_KEY}", Scope::Config),
        ("token: \"GITHUB_TOKEN\"", Scope::Config),
        ("password: \"password_confirmation\"", Scope::Code),
        ("secret = 'xxxxxxxxxxxx'", Scope::Code),
        ("key = 'f3a9c1e7b2d84c6a'", Scope::Code),
        ("label: \"Enter your password\"", Scope::Code),
        ("password = someVariable", Scope::Code),
        ("tls_key: certs/server.key", Scope::Config),
        // Shapes seen in real repositories (rails, saleor, loki, rubygems, gin).
        ("  webauthn_credentials: Security device", Scope::Config),
        ("token = \"token123\"", Scope::Code),
        ("\"password\": \"password123\",", Scope::Code),
        ("assert_equal \"[FILTERED]\", filtered[:token]", Scope::Code),
        (
            "#   form_tag('/posts', authenticity_token: 'cf50faa3fe97702ca1')",
            Scope::Code,
        ),
        (
            "WITH_INDIFFERENT_ACCESS_KEY = \"_aj_hash_with_indifferent_access\"",
            Scope::Code,
        ),
        ("SessionKey = \"_myapp_session\"", Scope::Code),
        (
            "(\"Access-Control-Allow-Credentials\", \"true\")",
            Scope::Code,
        ),
        (
            "inject-ca-from-secret: \"cert-manager/cert-manager-webhook-ca\"",
            Scope::Config,
        ),
        ("RELYANCE_API_KEY=relyance:API_KEY", Scope::Config),
        (
            "put \"/disk/:encoded_token\" => \"active_storage/disk#update\"",
            Scope::Code,
        ),
        ("match(`\"token\":\"([a-zA-Z0-9-_.]{115})\"`)", Scope::Code),
        ("key = f\"auth_token-{app.name}-{i}\"", Scope::Code),
        (
            "api_key=\"request.headers[\\\"X-API-KEY\\\"]\"",
            Scope::Code,
        ),
        ("body: refresh_token=refresh&scope=openid", Scope::Config),
        ("ClientSecret: \"ZXhhbXBsZS1hcHAtc2VjcmV0\",", Scope::Code),
        ("encrypted_password: \"6b6c2bc4d2a3e1f0a9\"", Scope::Code),
        ("api_key: \"not_valid1234\"", Scope::Code),
        ("\"password\": \"Adgangskode\",", Scope::Config),
        ("'password' => 'required|string|min:8',", Scope::Code),
        ("'password' => 'admin123',", Scope::Code),
    ];
    for (text, scope) in quiet {
        assert!(labels(text, scope).is_empty(), "{text}");
    }
}

#[test]
fn key_words_split_every_style() {
    assert_eq!(key_words("dbPassword"), vec!["db", "password"]);
    assert_eq!(
        key_words("AWS_SECRET_ACCESS_KEY"),
        vec!["aws", "secret", "access", "key"]
    );
    assert!(key_names_secret("SECRET_KEY_BASE"));
    assert!(key_names_secret("x-api-key"));
    assert!(!key_names_secret("keyboard"));
    assert!(!key_names_secret("token_url"));
}

#[test]
fn url_credentials() {
    let found = find_url_credentials("url = 'postgres://app:s3cret@db:5432/x'");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].scheme, "postgres");
    assert_eq!(found[0].user, "app");
    for quiet in [
        "postgres://app:${DB_PASSWORD}@db/x",
        "postgres://postgres:postgres@localhost/x",
        "redis://:password@localhost:6379",
        "amqp://guest:guest@rabbit//",
        "f\"postgres://{user}:{pw}@{host}/db\"",
        "http://example.com:8080@foo",
        "mysql://user:<password>@host/db",
        "mysql://myuser:mypass@db.internal/app",
        "redis://cache:cachepass@redis:6379",
        "s3://loki:supersecret@minio:9000/loki",
    ] {
        assert!(find_url_credentials(quiet).is_empty(), "{quiet}");
    }
    let local = find_url_credentials("postgres://app:Xk2mT7vQ4r@localhost:5432/app");
    assert_eq!(local.len(), 1, "masking still sees it");
    assert!(local[0].is_local(), "the rule skips it");
    assert!(!found[0].is_local());
}

#[test]
fn other_scanners_allow_markers() {
    let text =
        "a = 1\nTOKEN = \"Zx9-real-Pass77\"  # gitleaks:allow\nb = 2  # noqa: E501, S105\nc\n";
    assert!(!allowed_by_other_tool(text, 0));
    assert!(allowed_by_other_tool(text, 10));
    assert!(allowed_by_other_tool(text, text.find("b =").unwrap()));
    assert!(!allowed_by_other_tool(text, text.len() - 2));
}

#[test]
fn entropy_is_bits_per_char() {
    assert_eq!(entropy("aaaa"), 0.0);
    assert!((entropy("abcd") - 2.0).abs() < 1e-9);
}

#[test]
fn expired_jwt_is_not_a_credential() {
    // {"iss":"billing","exp":1600000000}: expired in 2020.
    let text = "t = 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJiaWxsaW5nIiwiZXhwIjoxNjAwMDAwMDAwfQ.c2lnbmF0dXJlLXZhbHVlLTEyMzQ1'";
    assert!(labels(text, Scope::Code).is_empty());
}

#[test]
fn rust_and_typescript_typed_bindings_are_assignments() {
    for text in [
        r#"const API_TOKEN: &str = "Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2";"#,
        r#"static DB_PASSWORD: &'static str = "Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2";"#,
        r#"    let api_key: String = "Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2".to_string();"#,
        r#"const apiToken: string = 'Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2';"#,
    ] {
        let found = find_all(text, Scope::Code);
        assert_eq!(found.len(), 1, "{text}");
        assert_eq!(&text[found[0].value.clone()], "Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2");
    }
}

#[test]
fn typed_bindings_read_from_the_environment_stay_quiet() {
    for text in [
        r#"const API_TOKEN: &str = env!("API_TOKEN");"#,
        r#"let api_key: String = std::env::var("API_KEY")?;"#,
        r#"const API_TOKEN: &str = "changeme-please-123";"#,
        r#"let token: Option<String> = None;"#,
        r#"fn check(password: &str) -> bool { password == expected }"#,
        r#"if api_token: == "x" {}"#,
    ] {
        assert!(find_all(text, Scope::Code).is_empty(), "{text}");
    }
}

#[test]
fn non_ascii_secret_values_are_found_and_char_safe() {
    let text = "password = \"Hünter2Zx9rQ7mLp\"\nsecret: ÆøÅ-9xQ2vL7pR4wZ8n\n";
    let found = find_all(text, Scope::Masking);
    let values: Vec<&str> = found.iter().map(|m| &text[m.value.clone()]).collect();
    assert_eq!(values, ["Hünter2Zx9rQ7mLp", "ÆøÅ-9xQ2vL7pR4wZ8n"]);
    // Words of any script are still words, and blanks still mean prose.
    for quiet in [
        "password = \"Contraseña\"",
        "password = \"Пароль неверный\"",
        "password = \"密码错误请重试\"",
        "password: Passwörter",
        "password: ab Æb",
        "password: abc\tÆøÅ-9xQ2vL7pR4wZ8n",
    ] {
        assert!(find_all(quiet, Scope::Config).is_empty(), "{quiet}");
    }
}

fn source_file(path: &str, text: &str) -> crate::source::SourceFile {
    crate::source::SourceFile::new(path.to_string(), path.into(), text.to_string())
}

fn values_in_file(path: &str, text: &str, scope: Scope) -> Vec<String> {
    let file = source_file(path, text);
    find_in_file(&file, scope)
        .into_iter()
        .map(|m| text[m.value].to_string())
        .collect()
}

#[test]
fn commented_out_lines_are_the_file_kinds_comments() {
    const VALUE: &str = "Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2";
    // Comment lines of the file's own syntax, including lines inside a block comment or a
    // docstring, which no line-start leader shows.
    for (path, text) in [
        (
            "app.py",
            format!("\"\"\"Usage:\n    password = \"{VALUE}\"\n\"\"\"\n"),
        ),
        ("app.js", format!("/*\n  password = \"{VALUE}\"\n*/\n")),
        ("app.rb", format!("=begin\npassword = \"{VALUE}\"\n=end\n")),
        ("settings.ini", format!("; password = {VALUE}\n")),
        ("k8s/app.yaml", format!("# password: {VALUE}\n")),
    ] {
        let file = source_file(path, &text);
        let scope = if matches!(file.kind, FileKind::Source(_)) {
            Scope::Code
        } else {
            Scope::Config
        };
        assert!(
            values_in_file(path, &text, scope).is_empty(),
            "{path}: {text}"
        );
    }
    // A leader of another syntax is code: a JavaScript private field is no comment.
    let js = format!("class A {{\n  #password = \"{VALUE}\";\n}}\n");
    assert_eq!(values_in_file("app.js", &js, Scope::Code), [VALUE]);
    // A `#` inside a string opens no comment: the line is code.
    let py = format!("x = \"#\"; password = \"{VALUE}\"\n");
    assert_eq!(values_in_file("app.py", &py, Scope::Code), [VALUE]);
}

#[test]
fn a_bare_value_ends_at_a_comment_of_the_files_syntax() {
    const VALUE: &str = "Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2";
    let yaml = format!("password: {VALUE}  # rotated monthly\n");
    assert_eq!(
        values_in_file("k8s/app.yaml", &yaml, Scope::Config),
        [VALUE]
    );
    let sh = format!("PASSWORD={VALUE} # rotated\n");
    assert_eq!(values_in_file("run.sh", &sh, Scope::Config), [VALUE]);
    // Text of no known kind: any common comment style ends it.
    for comment in ["# note", "// note"] {
        let text = format!("password = {VALUE} {comment}");
        let values: Vec<&str> = find_all(&text, Scope::Masking)
            .into_iter()
            .map(|m| &text[m.value])
            .collect();
        assert_eq!(values, [VALUE], "{text}");
    }
}

#[test]
fn a_dockerfile_comment_is_judged_on_the_file_not_the_joined_text() {
    const VALUE: &str = "Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2";
    // Continuations are joined before the scan; the comment line maps back to the file.
    let text = format!("RUN a \\\n    b\n# ENV PASSWORD={VALUE}\nENV TOKEN={VALUE}\n");
    assert_eq!(values_in_file("Dockerfile", &text, Scope::Config), [VALUE]);
    let found = find_in_file(&source_file("Dockerfile", &text), Scope::Config);
    assert_eq!(found[0].value.start, text.rfind(VALUE).unwrap_or_default());
}
