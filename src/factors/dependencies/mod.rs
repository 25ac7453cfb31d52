//! Factor II. Dependencies: explicitly declare and isolate dependencies (https://12factor.net/dependencies).
//!
//! An app declares every dependency in a manifest, pins it (lockfile, image digest or version),
//! and never relies on what happens to be installed: packages installed by name in a
//! Dockerfile, unpinned base images and system packages, and remote scripts piped to a shell
//! all make two builds of the same commit differ.

mod implicit_system_tool;
mod lock_index;
mod missing_dependency_manifest;
mod missing_lockfile;
mod remote_script_piped_to_shell;
mod scripts;
mod undeclared_package_install;
mod unpinned_dependency;
mod unpinned_image;
mod unpinned_system_package;

use crate::rule::Rule;

pub use implicit_system_tool::ImplicitSystemTool;
pub use missing_dependency_manifest::MissingDependencyManifest;
pub use missing_lockfile::MissingLockfile;
pub use remote_script_piped_to_shell::RemoteScriptPipedToShell;
pub use undeclared_package_install::UndeclaredPackageInstall;
pub use unpinned_dependency::UnpinnedDependency;
pub use unpinned_image::UnpinnedImage;
pub use unpinned_system_package::UnpinnedSystemPackage;

/// This factor's rules, in id order.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(MissingDependencyManifest),
        Box::new(MissingLockfile),
        Box::new(UnpinnedDependency),
        Box::new(UnpinnedImage),
        Box::new(RemoteScriptPipedToShell),
        Box::new(UndeclaredPackageInstall),
        Box::new(ImplicitSystemTool),
        Box::new(UnpinnedSystemPackage),
    ]
}
