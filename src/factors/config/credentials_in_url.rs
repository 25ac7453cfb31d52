//! TF0302 credentials-in-url: `scheme://user:password@host` with a literal password.

use crate::classify::FileKind;
use crate::context::FileCx;
use crate::rule::{Rule, RuleId};
use crate::secrets;
use crate::source::SourceFile;

pub struct CredentialsInUrl;

impl Rule for CredentialsInUrl {
    fn id(&self) -> RuleId {
        RuleId::CredentialsInUrl
    }

    fn check_file(&self, file: &SourceFile, cx: &mut FileCx) {
        if is_exempt(file) {
            return;
        }
        for credential in secrets::find_url_credentials(&file.text) {
            if credential.is_local() || file.allowed_by_other_tool(credential.span.start) {
                continue;
            }
            let user = if credential.user.is_empty() {
                String::from("(no user)")
            } else {
                format!("`{}`", credential.user)
            };
            cx.report(
                RuleId::CredentialsInUrl,
                credential.span,
                format!("{} URL embeds the password of user {user}", credential.scheme),
            )
            .secret(credential.password)
            .help("pass the whole URL (e.g. DATABASE_URL) or the password through the environment, and rotate this password");
        }
    }
}

/// Tests, docs, examples, templates and lockfiles show URL shapes, not deploy credentials.
fn is_exempt(file: &SourceFile) -> bool {
    let cx = file.context;
    cx.is_non_production()
        || cx.vendored
        || cx.generated
        || matches!(
            file.kind,
            FileKind::DotEnvTemplate | FileKind::Markdown | FileKind::Lockfile(_)
        )
}
