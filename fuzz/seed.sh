#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with small files from fixtures/ (run before `cargo fuzz run`;
# corpora are not committed). Inputs of `file_pass` and `install_scripts` start with a byte
# that picks the file name / reader, so the seeds get the byte that matches their name.
set -euo pipefail
cd "$(dirname "$0")"
fixtures=../fixtures

# Small fixture files whose name matches one of the patterns.
small() { find "$fixtures" -type f -size -8k \( "$@" \) | sort; }

# Copies each file given on stdin into corpus/$1/, prefixed with byte $2 when given.
seed() {
    local target=$1 prefix=${2:-} n=0
    mkdir -p "corpus/$target"
    while read -r file; do
        n=$((n + 1))
        if [ -n "$prefix" ]; then
            { printf "\\x$(printf %02x "$prefix")"; cat "$file"; } >"corpus/$target/seed-$prefix-$n"
        else
            cp "$file" "corpus/$target/seed-$n"
        fi
    done
}

small -iname 'Dockerfile*' -o -iname '*.Dockerfile' | seed dockerfile
small -name '*.yml' -o -name '*.yaml' | seed yaml
small -name '*.sh' -o -name 'Procfile*' | seed shell_split
small -name '.env*' -o -name '*.env' | seed dotenv
small -name '*.sh' | seed install_scripts 0
small -iname 'Dockerfile*' | seed install_scripts 1
small -path '*/.github/workflows/*' -o -name '.gitlab-ci.yml' | seed install_scripts 2

# file_pass: the selector byte is the index of the name in FILE_NAMES (fuzz_targets/file_pass.rs).
names=$(sed -n '/^const FILE_NAMES/,/^];/p' fuzz_targets/file_pass.rs | grep -o '"[^"]*"' | tr -d '"')
index_of() { echo "$names" | grep -nxF "$1" | cut -d: -f1 | awk '{ print $1 - 1 }'; }
while read -r name pattern; do
    small -path "$pattern" | head -n 40 | seed file_pass "$(index_of "$name")"
done <<'LIST'
Dockerfile */Dockerfile
compose.yaml *compose*.y*ml
k8s/deploy.yaml */k8s/*.yaml
.env */.env
.env.example */.env.example
Procfile */Procfile
package.json */package.json
requirements.txt */requirements*.txt
pyproject.toml */pyproject.toml
go.mod */go.mod
Gemfile */Gemfile
app.py *.py
app.js *.js
app.ts *.ts
main.go *.go
app.rb *.rb
Main.java *.java
index.php *.php
main.rs *.rs
Program.cs *.cs
run.sh *.sh
.gitignore */_gitignore
.github/workflows/ci.yml */.github/workflows/*
fly.toml */fly.toml
app.json */app.json
LIST
for target in corpus/*; do echo "$target: $(ls "$target" | wc -l) seeds"; done
