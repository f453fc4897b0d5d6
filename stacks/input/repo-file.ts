/**
 * Files that config points to (inline policy documents, SAML metadata): repository-relative paths, resolved
 * to their real path (symlinks followed) and refused when that lands outside the repository. Pure apart from
 * the file system reads; problems go to {@link Issues} without ever quoting the file's content.
 */
import * as fs from "fs";
import * as nodePath from "path";
import { Issues, show } from "./validate";

/** Largest file read through config (an inline policy is at most 10,240 characters; SAML metadata ~40 KB). */
export const MAX_REPO_FILE_BYTES = 1024 * 1024;

/** Options of {@link readRepoFile}. */
export interface RepoFileOptions {
    /** Repository root. */
    readonly projectRoot: string;
    /** Required extension, with the dot (`.json`). */
    readonly ext: string;
    /** What the file is, for messages (`inline policy file`). */
    readonly what: string;
    /** Reads a file as UTF-8 text (default `fs.readFileSync`); tests inject virtual files. */
    readonly readFile?: (absPath: string) => string;
}

/** A file read through config: its repository-relative path (with `/`) and its text. */
export interface RepoFile {
    readonly rel: string;
    readonly abs: string;
    readonly text: string;
}

const code = (e: unknown): string | undefined => {
    const c = (e as { code?: unknown } | null)?.code;
    return typeof c === "string" ? c : undefined;
};

/**
 * Where `abs` really is: "inside" the real repository root, "outside" it (through a symlink), or "absent"
 * from disk (a virtual file of a test, or a missing one: the read reports it).
 */
function realLocation(abs: string, root: string): "inside" | "outside" | "absent" {
    let real: string;
    try {
        real = fs.realpathSync(abs);
    } catch (e) {
        // A dangling symlink exists (lstat) but has no real path: refuse it as pointing elsewhere.
        try {
            fs.lstatSync(abs);
            return "outside";
        } catch {
            return code(e) === "ENOENT" || code(e) === "ENOTDIR" ? "absent" : "outside";
        }
    }
    let realRoot = root;
    try {
        realRoot = fs.realpathSync(root);
    } catch {
        // A root that does not exist on disk (tests): compare with the path as given.
    }
    const back = nodePath.relative(realRoot, real);
    return back === "" || back.startsWith("..") || nodePath.isAbsolute(back) ? "outside" : "inside";
}

/** Checks a repository-relative path as text; returns the absolute path or records why not. */
export function resolveRepoPath(rel: string, projectRoot: string, path: string, issues: Issues, ext = ".json"): string | undefined {
    if (rel.includes("\0")) {
        issues.add(path, `${show(rel)} contains a NUL byte; give a path relative to the repository (e.g. policies/readonly${ext})`);
        return undefined;
    }
    if (nodePath.isAbsolute(rel) || nodePath.win32.isAbsolute(rel)) {
        issues.add(path, `${show(rel)} must be a path relative to the repository (e.g. policies/readonly${ext}), not absolute`);
        return undefined;
    }
    const root = nodePath.resolve(projectRoot);
    const abs = nodePath.resolve(root, rel);
    const back = nodePath.relative(root, abs);
    if (back === "" || back.startsWith("..") || nodePath.isAbsolute(back) || rel.split(/[\\/]/).includes("..")) {
        issues.add(path, `${show(rel)} escapes the repository; files named in config must live inside the project (no \`..\`)`);
        return undefined;
    }
    if (!rel.endsWith(ext)) {
        issues.add(path, `${show(rel)} is not a ${ext} file`);
        return undefined;
    }
    return abs;
}

/**
 * Reads a file named in config at `path`: relative, inside the repository once symlinks are resolved, with
 * the expected extension and at most {@link MAX_REPO_FILE_BYTES}. Records an issue and returns undefined
 * otherwise. Messages name the path, never the content.
 */
export function readRepoFile(rel: string, path: string, opts: RepoFileOptions, issues: Issues): RepoFile | undefined {
    const abs = resolveRepoPath(rel, opts.projectRoot, path, issues, opts.ext);
    if (abs === undefined) return undefined;
    const root = nodePath.resolve(opts.projectRoot);
    const where = realLocation(abs, root);
    if (where === "outside") {
        issues.add(
            path,
            `${show(rel)} resolves (through a symbolic link) outside the repository; ${opts.what}s must be ` +
                "real files inside the project",
        );
        return undefined;
    }
    if (where === "inside") {
        try {
            const st = fs.statSync(abs);
            if (!st.isFile()) {
                issues.add(path, `${show(rel)} is not a regular file`);
                return undefined;
            }
            if (st.size > MAX_REPO_FILE_BYTES) {
                issues.add(path, `${show(rel)} is ${st.size} bytes; the limit for a ${opts.what} is ${MAX_REPO_FILE_BYTES}`);
                return undefined;
            }
        } catch {
            // The read below reports it.
        }
    }
    let text: string;
    try {
        text = (opts.readFile ?? ((p: string) => fs.readFileSync(p, "utf8")))(abs);
    } catch (e) {
        const c = code(e);
        issues.add(path, `cannot read ${opts.what} ${show(rel)}${c ? ` (${c})` : ""}; check the path is relative to the repository root`);
        return undefined;
    }
    if (text.length > MAX_REPO_FILE_BYTES) {
        issues.add(path, `${show(rel)} is ${text.length} characters; the limit for a ${opts.what} is ${MAX_REPO_FILE_BYTES}`);
        return undefined;
    }
    return { rel: nodePath.relative(root, abs).split(nodePath.sep).join("/"), abs, text };
}
