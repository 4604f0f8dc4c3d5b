//! The layers, checked from the source: storage imports nothing above it, the domain imports
//! only itself, the contract's types (`api`) only storage and the domain, the policy decides
//! from the domain alone, and neither the top-level modules nor the modules of `db/` import
//! each other in a cycle.
//!
//! Imports are read from the code of every file under `src/` (comments and string literals left
//! out): `use` trees and inline paths that start with `crate::` or `super::`, and a `mod.rs`'s
//! `pub use` of its children, followed to where the item is defined. `main.rs` is the binary and
//! reaches the library by its name, so it is not read. Test modules count: a test's imports are
//! imports too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What storage may not import: anything that knows about HTTP, callers or use cases.
const ABOVE_STORAGE: &[&str] = &[
    "api",
    "audit",
    "auth",
    "demo",
    "jobs",
    "middleware",
    "openapi",
    "routes",
    "services",
    "startup",
    "state",
];

#[test]
fn storage_imports_nothing_above_it() {
    let tree = Tree::read(&src());
    let wrong: Vec<String> = tree
        .edges()
        .filter(|e| e.from[0] == "db" && ABOVE_STORAGE.contains(&e.to[0].as_str()))
        .map(|e| e.describe())
        .collect();
    assert!(
        wrong.is_empty(),
        "db imports above it:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_domain_imports_only_itself() {
    let tree = Tree::read(&src());
    let wrong: Vec<String> = tree
        .edges()
        .filter(|e| e.from[0] == "domain" && e.to[0] != "domain")
        .map(|e| e.describe())
        .collect();
    assert!(
        wrong.is_empty(),
        "domain imports outside it:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_contract_types_import_only_storage_and_the_domain() {
    let tree = Tree::read(&src());
    let wrong: Vec<String> = tree
        .edges()
        .filter(|e| e.from[0] == "api" && !["api", "db", "domain"].contains(&e.to[0].as_str()))
        .map(|e| e.describe())
        .collect();
    assert!(
        wrong.is_empty(),
        "api imports above it:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_policy_decides_from_the_domain_alone() {
    let tree = Tree::read(&src());
    let policy = ["auth".to_owned(), "policy".to_owned()];
    let wrong: Vec<String> = tree
        .edges()
        .filter(|e| e.from.starts_with(&policy))
        .filter(|e| e.to[0] != "domain" && !e.to.starts_with(&policy))
        .map(|e| e.describe())
        .collect();
    assert!(
        wrong.is_empty(),
        "auth::policy imports more than the domain (an audit write, a database call?):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn top_level_modules_import_each_other_without_cycles() {
    let tree = Tree::read(&src());
    let graph = Graph::of(
        tree.edges()
            .map(|e| (e.from[0].clone(), e.to[0].clone(), e)),
    );
    let cycles = graph.cycles();
    assert!(
        cycles.is_empty(),
        "top-level modules in cycles:\n{}",
        graph.describe(&cycles)
    );
}

#[test]
fn the_modules_of_db_import_each_other_without_cycles() {
    let tree = Tree::read(&src());
    let graph = Graph::of(
        tree.edges()
            .filter(|e| e.from[0] == "db" && e.to[0] == "db")
            .map(|e| (db_node(&e.from), db_node(&e.to), e)),
    );
    let cycles = graph.cycles();
    assert!(
        cycles.is_empty(),
        "modules of db in cycles:\n{}",
        graph.describe(&cycles)
    );
}

#[test]
fn the_reader_follows_groups_re_exports_and_super_and_skips_comments_and_strings() {
    let mut tree = Tree::default();
    for module in [
        &["audit"][..],
        &["domain"],
        &["db", "users"],
        &["db", "stats"],
    ] {
        tree.add(module.iter().map(|m| m.to_string()).collect(), "");
    }
    tree.add(
        vec!["db".into()],
        "mod users;\npub use users::{Row as UserRow, find};\npub const N: usize = 1;",
    );
    tree.add(
        vec!["db".into(), "tickets".into()],
        r##"
        // use crate::auth::policy;
        /* crate::routes:: /* nested */ crate::middleware:: */
        use super::{N, UserRow, stats::{self, Counter}};
        const URL: &str = "crate::services::x"; const RAW: &str = r#"super::jobs"#;
        fn f<'a>(c: &'a char) -> bool { *c == '{' && crate::audit::event().is_ok() }
        pub(crate) fn g() {}
        #[cfg(test)]
        mod tests { use super::*; use crate::domain::x; }
        "##,
    );
    let mut found: Vec<String> = tree.edges().map(|e| e.to.join("::")).collect();
    found.sort();
    assert_eq!(
        found,
        [
            "audit",
            "db",
            "db::stats",
            "db::stats",
            "db::users",
            "domain"
        ]
    );
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The module a db path belongs to, at the depth of db's own modules (`db::stats`, whatever
/// files a module of db is split into).
fn db_node(path: &[String]) -> String {
    path.iter().take(2).cloned().collect::<Vec<_>>().join("::")
}

/// One import: the module whose file holds it, the module it reaches, and where it is written.
struct Edge {
    from: Vec<String>,
    to: Vec<String>,
    written: String,
}

impl Edge {
    fn describe(&self) -> String {
        format!(
            "  {} -> {}: `{}`",
            self.from.join("::"),
            self.to.join("::"),
            self.written
        )
    }
}

/// A path as written, and the absolute path it stands for.
type Named = (String, Vec<String>);

/// Every file's module and the absolute paths it names.
#[derive(Default)]
struct Tree {
    /// Each file's module path and the paths it names.
    files: Vec<(Vec<String>, Vec<Named>)>,
    modules: BTreeSet<Vec<String>>,
    /// `pub use` re-exports: (module, name) to the path it stands for.
    exports: BTreeMap<(Vec<String>, String), Vec<String>>,
}

impl Tree {
    fn read(src: &Path) -> Tree {
        let mut files = Vec::new();
        collect(src, &mut files);
        let mut tree = Tree::default();
        for file in files {
            let relative = file.strip_prefix(src).unwrap().with_extension("");
            let mut module: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            // The crate root only declares the modules; the binary names the library by its name.
            if module == ["lib"] || module == ["main"] {
                continue;
            }
            if module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            tree.add(module, &std::fs::read_to_string(&file).unwrap());
        }
        tree
    }

    fn add(&mut self, module: Vec<String>, text: &str) {
        let tokens = tokens(text);
        let (paths, exports) = paths(&module, &tokens);
        for (name, target) in exports {
            self.exports.insert((module.clone(), name), target);
        }
        self.modules.insert(module.clone());
        self.files.push((module, paths));
    }

    /// The module a path ends in: the longest known module it starts with, following
    /// re-exports of the item after it.
    fn module_of(&self, path: &[String]) -> Vec<String> {
        let mut path = path.to_vec();
        for _ in 0..8 {
            let known = (0..=path.len())
                .rev()
                .find(|&n| self.modules.contains(&path[..n]))
                .unwrap_or(0);
            let module = path[..known].to_vec();
            let Some(next) = path.get(known) else {
                return module;
            };
            match self.exports.get(&(module.clone(), next.clone())) {
                Some(target) if !target.starts_with(&path) => {
                    path = target.iter().chain(&path[known + 1..]).cloned().collect();
                }
                _ => return module,
            }
        }
        panic!("re-exports of {path:?} go round");
    }

    /// Imports between different modules (a module naming itself is no import).
    fn edges(&self) -> impl Iterator<Item = Edge> + '_ {
        self.files.iter().flat_map(move |(from, paths)| {
            paths.iter().filter_map(move |(written, path)| {
                let to = self.module_of(path);
                (!to.is_empty() && to != *from).then(|| Edge {
                    from: from.clone(),
                    to,
                    written: written.clone(),
                })
            })
        })
    }
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Punct(char),
    /// `::`
    Colons,
}

/// The code's identifiers and punctuation, without comments, strings and character literals.
fn tokens(text: &str) -> Vec<Token> {
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let rest = |n: usize| at(&c, i + n);
        match c[i] {
            '/' if rest(1) == '/' => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if rest(1) == '*' => {
                let mut depth = 0;
                loop {
                    if i >= c.len() {
                        break;
                    } else if c[i] == '/' && at(&c, i + 1) == '*' {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && at(&c, i + 1) == '/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            '"' => i = skip_string(&c, i + 1),
            '\'' if rest(1) == '\\' => {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            '\'' if rest(2) == '\'' => i += 3,
            ':' if rest(1) == ':' => {
                out.push(Token::Colons);
                i += 2;
            }
            ch if ch.is_alphanumeric() || ch == '_' => {
                let start = i;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
                let word: String = c[start..i].iter().collect();
                // Raw strings: r"…", r#"…"#, br"…".
                let hashes = c[i..].iter().take_while(|&&h| h == '#').count();
                if (word == "r" || word == "br") && c.get(i + hashes) == Some(&'"') {
                    let close: Vec<char> = std::iter::once('"')
                        .chain(std::iter::repeat_n('#', hashes))
                        .collect();
                    i += hashes + 1;
                    while i < c.len() && !c[i..].starts_with(&close) {
                        i += 1;
                    }
                    i += close.len();
                } else if word == "b" && c.get(i) == Some(&'"') {
                    i = skip_string(&c, i + 1);
                } else {
                    out.push(Token::Ident(word));
                }
            }
            ch if ch.is_whitespace() => i += 1,
            ch => {
                out.push(Token::Punct(ch));
                i += 1;
            }
        }
    }
    out
}

fn at(c: &[char], i: usize) -> char {
    c.get(i).copied().unwrap_or(' ')
}

/// The index past the string whose body starts at `i`.
fn skip_string(c: &[char], mut i: usize) -> usize {
    while i < c.len() && c[i] != '"' {
        i += if c[i] == '\\' { 2 } else { 1 };
    }
    i + 1
}

fn ident(tokens: &[Token], i: usize) -> Option<&str> {
    match tokens.get(i) {
        Some(Token::Ident(word)) => Some(word),
        _ => None,
    }
}

/// The absolute paths a file of `module` names (each with how it was written), and the names
/// its `pub use` items re-export with the paths they stand for.
fn paths(module: &[String], tokens: &[Token]) -> (Vec<Named>, Vec<(String, Vec<String>)>) {
    // Children declared here (`mod x;`), which a `use` may name without a prefix.
    let children: BTreeSet<&str> = (0..tokens.len())
        .filter(|&i| ident(tokens, i) == Some("mod"))
        .filter_map(|i| ident(tokens, i + 1))
        .collect();
    let mut found = Vec::new();
    let mut exports = Vec::new();
    // Inline modules (`mod tests { … }`) open here, with the brace depth they opened at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        let here: Vec<String> = module
            .iter()
            .cloned()
            .chain(inline.iter().map(|(name, _)| name.clone()))
            .collect();
        match &tokens[i] {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth -= 1;
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            Token::Ident(word)
                if word == "mod" && tokens.get(i + 2) == Some(&Token::Punct('{')) =>
            {
                inline.push((ident(tokens, i + 1).unwrap_or("").to_owned(), depth));
            }
            Token::Ident(word) if word == "use" => {
                let public = i >= 1
                    && (ident(tokens, i - 1) == Some("pub")
                        || (tokens[i - 1] == Token::Punct(')')
                            && (2..6)
                                .any(|back| i >= back && ident(tokens, i - back) == Some("pub"))));
                let Some(first) = ident(tokens, i + 1) else {
                    i += 1;
                    continue;
                };
                let base = match first {
                    "crate" | "super" | "self" => None,
                    child if children.contains(child) => Some(here.clone()),
                    _ => {
                        i += 1;
                        continue; // another crate
                    }
                };
                let start = i + 1;
                let mut leaves = Vec::new();
                i = path_at(tokens, start, &here, base, &mut leaves);
                // A `pub use` is an alias: what names it is resolved through to the original.
                for (alias, path) in leaves {
                    if !public {
                        found.push((written(&tokens[start..i]), path));
                    } else if !alias.is_empty() {
                        exports.push((alias, path));
                    }
                }
                continue;
            }
            Token::Ident(word)
                if (word == "crate" || word == "super")
                    && tokens.get(i + 1) == Some(&Token::Colons)
                    && (i == 0 || tokens[i - 1] != Token::Colons) =>
            {
                let start = i;
                let mut leaves = Vec::new();
                i = path_at(tokens, start, &here, None, &mut leaves);
                for (_, path) in leaves {
                    found.push((written(&tokens[start..i]), path));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    (found, exports)
}

fn written(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| match t {
            Token::Ident(word) => word.clone(),
            Token::Punct(p) => p.to_string(),
            Token::Colons => "::".into(),
        })
        .collect()
}

/// Reads the path (or `use` tree) at `i`, named from module `here`, into `leaves` as (the name
/// it binds, the absolute path), and answers the index past it. `prefix` is what the path
/// continues (inside a group, or a child module's path); without one the path starts with
/// `crate`, `self` or `super`.
fn path_at(
    tokens: &[Token],
    mut i: usize,
    here: &[String],
    prefix: Option<Vec<String>>,
    leaves: &mut Vec<(String, Vec<String>)>,
) -> usize {
    let top = prefix.is_none();
    let mut path = prefix.unwrap_or_default();
    if top {
        match ident(tokens, i) {
            Some("crate") => i += 2,
            Some("self") => {
                path = here.to_vec();
                i += 2;
            }
            _ => {
                path = here.to_vec();
                while ident(tokens, i) == Some("super") {
                    path.pop();
                    i += 1;
                    if tokens.get(i) != Some(&Token::Colons) {
                        break;
                    }
                    i += 1;
                }
            }
        }
    }
    loop {
        match tokens.get(i) {
            Some(Token::Ident(word)) => {
                let mut alias = word.clone();
                if word == "self" {
                    alias = path.last().cloned().unwrap_or_default();
                } else {
                    path.push(word.clone());
                }
                i += 1;
                if word != "self" && tokens.get(i) == Some(&Token::Colons) {
                    i += 1;
                    continue;
                }
                if ident(tokens, i) == Some("as") {
                    alias = ident(tokens, i + 1).unwrap_or("").to_owned();
                    i += 2;
                }
                leaves.push((alias, path));
                return i;
            }
            Some(Token::Punct('{')) => {
                i += 1;
                while i < tokens.len() && tokens[i] != Token::Punct('}') {
                    i = path_at(tokens, i, here, Some(path.clone()), leaves);
                    if tokens.get(i) == Some(&Token::Punct(',')) {
                        i += 1;
                    }
                }
                return i + 1;
            }
            Some(Token::Punct('*')) => {
                leaves.push((String::new(), path));
                return i + 1;
            }
            _ => {
                leaves.push((String::new(), path));
                return i;
            }
        }
    }
}

/// A directed graph of named nodes, each edge with the import that makes it.
#[derive(Default)]
struct Graph {
    edges: BTreeMap<String, BTreeMap<String, String>>,
}

impl Graph {
    fn of(edges: impl Iterator<Item = (String, String, Edge)>) -> Graph {
        let mut graph = Graph::default();
        for (from, to, edge) in edges {
            if from != to {
                graph.edges.entry(to.clone()).or_default();
                graph
                    .edges
                    .entry(from)
                    .or_default()
                    .entry(to)
                    .or_insert_with(|| edge.describe());
            }
        }
        graph
    }

    fn reaches(&self, from: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(node) = todo.pop() {
            for next in self.edges[&node].keys() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    }

    /// The strongly connected components of more than one node: the sets of nodes that reach
    /// each other.
    fn cycles(&self) -> Vec<BTreeSet<String>> {
        let reach: BTreeMap<&String, BTreeSet<String>> =
            self.edges.keys().map(|n| (n, self.reaches(n))).collect();
        let mut cycles: Vec<BTreeSet<String>> = Vec::new();
        for (node, reached) in &reach {
            if !reached.contains(*node) || cycles.iter().any(|c| c.contains(*node)) {
                continue;
            }
            let component = reached
                .iter()
                .filter(|other| reach[other].contains(*node))
                .cloned()
                .collect();
            cycles.push(component);
        }
        cycles
    }

    /// Each cycle's nodes and one import for each step between them.
    fn describe(&self, cycles: &[BTreeSet<String>]) -> String {
        let mut out = String::new();
        for cycle in cycles {
            out.push_str(&format!("{cycle:?}\n"));
            for from in cycle {
                for (to, edge) in &self.edges[from] {
                    if cycle.contains(to) {
                        out.push_str(edge);
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}
