"""Run the OWL API (the library Protégé is built on) against ontology files from tests.

Protégé opens, checks and saves ontologies through the OWL API, so what the OWL API makes of
a file is what an analyst sees in Protégé. ``java/OwlApiCheck.java`` loads a file, reports
unparsed triples and OWL 2 DL profile violations as JSON, and can re-save it as Protégé would.
It is compiled once into a cache folder; the OWL API jars come from the system (Debian's
``libowlapi-java`` installs them in /usr/share/java, without a Class-Path in their manifests,
so every jar the OWL API needs is listed here).
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "java" / "OwlApiCheck.java"
MAIN_CLASS = "OwlApiCheck"

JAR_DIRS: tuple[Path, ...] = tuple(
    Path(p) for p in (os.environ.get("OWLAPI_JAR_DIR"), "/usr/share/java") if p
)
"""Folders searched for the jars, first match wins; ``OWLAPI_JAR_DIR`` goes first when set."""

REQUIRED_JARS: tuple[str, ...] = (
    "owlapi-distribution",
    "guava",
    "caffeine",
    "commons-io",
    "commons-rdf-api",
    "slf4j-api",
    "slf4j-nop",
    "hppcrt",
    "xz",
    "atinject-jsr330-api",
    "jaxb-api",
    "rdf4j-model-api",
    "rdf4j-model-vocabulary",
    "rdf4j-model",
    "rdf4j-rio-api",
    "rdf4j-rio-turtle",
    "rdf4j-util",
)
"""The OWL API and the libraries it needs to load, profile-check and save RDF/XML and Turtle."""

FORMATS = ("rdfxml", "turtle")
TIMEOUT_SECONDS = 300


class OwlApiUnavailable(RuntimeError):
    """Java or the OWL API jars are not installed, or the checker does not compile."""


class OwlApiError(RuntimeError):
    """The OWL API refused a file: it could not be loaded or saved."""


def find_jars(dirs: tuple[Path, ...] = JAR_DIRS, names: tuple[str, ...] = REQUIRED_JARS) -> list[Path]:
    """The jar for every required name, or an error naming each one that is missing."""
    found: list[Path] = []
    missing: list[str] = []
    for name in names:
        jar = next((d / f"{name}.jar" for d in dirs if (d / f"{name}.jar").is_file()), None)
        if jar is None:
            missing.append(f"{name}.jar")
        else:
            found.append(jar)
    if missing:
        where = ", ".join(str(d) for d in dirs) or "(no folder)"
        raise OwlApiUnavailable(
            f"OWL API jars missing from {where}: {', '.join(missing)} "
            "(install the Debian package libowlapi-java, or set OWLAPI_JAR_DIR to a folder holding them)"
        )
    return found


def unavailable_reason(dirs: tuple[Path, ...] = JAR_DIRS) -> str | None:
    """Why the checker cannot run here, or None when java, javac and every jar are present."""
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            return f"'{tool}' is not installed (a JDK is needed to run the OWL API checks)"
    try:
        find_jars(dirs)
    except OwlApiUnavailable as error:
        return str(error)
    return None


@dataclass(frozen=True)
class OwlApiChecker:
    """A compiled OwlApiCheck and the classpath to run it with."""

    classes: Path
    classpath: tuple[Path, ...]

    def _run(self, *args: str) -> dict:
        cp = os.pathsep.join([str(self.classes), *map(str, self.classpath)])
        done = subprocess.run(
            ["java", "-cp", cp, MAIN_CLASS, *args],
            capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
        )
        if done.returncode != 0:
            raise OwlApiError(f"OWL API failed on {' '.join(args)} (exit {done.returncode}): {done.stderr.strip()[:3000]}")
        try:
            return json.loads(done.stdout)
        except json.JSONDecodeError as error:
            raise OwlApiError(f"OwlApiCheck printed no JSON report for {' '.join(args)}: {done.stdout[:500]!r}") from error

    def check(self, path: Path, *more: Path) -> dict:
        """The OWL API's report on one file, or on several merged into one RDF graph."""
        return self._run("check", *(str(p) for p in (path, *more)))

    def resave(self, path: Path, out: Path, fmt: str) -> dict:
        """Load ``path`` and save it to ``out`` as Protégé would; the report is for the loaded file."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
        return self._run("save", str(path), str(out), fmt)


def compile_checker(cache_dir: Path, dirs: tuple[Path, ...] = JAR_DIRS) -> OwlApiChecker:
    """Compile OwlApiCheck into ``cache_dir`` unless an up-to-date build is already there."""
    reason = unavailable_reason(dirs)
    if reason is not None:
        raise OwlApiUnavailable(reason)
    jars = tuple(find_jars(dirs))
    cache_dir.mkdir(parents=True, exist_ok=True)
    built = cache_dir / f"{MAIN_CLASS}.class"
    if not built.exists() or built.stat().st_mtime < SOURCE.stat().st_mtime:
        done = subprocess.run(
            ["javac", "-nowarn", "-d", str(cache_dir), "-cp", os.pathsep.join(map(str, jars)), str(SOURCE)],
            capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
        )
        if done.returncode != 0:
            raise OwlApiUnavailable(f"javac could not compile {SOURCE.name}: {done.stderr.strip()[:3000]}")
    return OwlApiChecker(cache_dir, jars)


@functools.cache
def default_checker() -> OwlApiChecker:
    """One compiled checker per process, in a scratch folder, for callers without their own."""
    return compile_checker(Path(tempfile.mkdtemp(prefix="owlapi-check-")))


def run_check(path: Path, *more: Path, checker: OwlApiChecker | None = None) -> dict:
    """The OWL API's report on a file (several files are merged first)."""
    return (checker or default_checker()).check(path, *more)


def resave(path: Path, out: Path, fmt: str, checker: OwlApiChecker | None = None) -> dict:
    """Re-save ``path`` to ``out`` in ``fmt`` (rdfxml or turtle) the way Protégé saves."""
    return (checker or default_checker()).resave(path, out, fmt)
