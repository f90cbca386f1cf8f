"""The results: which targets were met, the JSON in bench/results/, the printed tables."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.config import (
    CONNECTIONS,
    DURATION,
    EMAILS,
    PACED_FRACTION,
    RESULTS_DIR,
    TARGETS,
    THREADS,
    WARMUP,
    WEB_WORKERS,
)
from bench.database import without_password
from bench.phases import LoadPhases
from bench.stack import Stack


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def build_results(
    stack: Stack, load: LoadPhases, checks: dict[str, Any], facts: dict[str, Any]
) -> dict[str, Any]:
    phases = load.phases
    rps = {name: phase["rps"] for name, phase in phases.items()}
    ratios = {
        "sign_ratio": _ratio(rps["sign"], rps["insert"]),
        "confirm_ratio": _ratio(rps["confirm"], rps["insert"]),
        "page_ratio": _ratio(rps["page"], rps["hello"]),
        "debate_ratio": _ratio(rps["debate"], rps["hello"]),
        "count_ratio": _ratio(rps["count"], rps["hello"]),
        "embed_ratio": _ratio(rps["embed"], rps["hello"]),
    }

    def clean(name: str) -> bool:
        return phases[name]["errors"] == 0 and phases[name]["unexpected_status"] == 0

    lost, double, emails = checks["lost"], checks["double"], checks["emails"]
    tlog = checks.get("log", {})
    met = {
        "sign": clean("sign") and (ratios["sign_ratio"] or 0) >= 0.6 and rps["sign"] >= 750,
        "confirm": clean("confirm") and (ratios["confirm_ratio"] or 0) >= 0.6,
        "page": clean("page") and (ratios["page_ratio"] or 0) >= 0.5,
        "debate": clean("debate") and (ratios["debate_ratio"] or 0) >= 0.5,
        "count": clean("count") and (ratios["count_ratio"] or 0) >= 0.8,
        "embed": clean("embed") and (ratios["embed_ratio"] or 0) >= 0.8,
        "sign_p99": clean("sign_80") and phases["sign_80"]["p99_ms"] < 100,
        "emails": emails["emails_10k_s"] is not None and emails["emails_10k_s"] <= 60,
        "lost": lost["lost"] == 0 and not lost["anomaly"],
        "double": double["double"] == 0,
        "log": tlog.get("leaves_per_s", 0) >= 1000 and bool(tlog.get("log_agrees_with_count")),
    }
    return {
        "sign_rps": rps["sign"],
        "sign_floor_rps": rps["insert"],
        "confirm_rps": rps["confirm"],
        "page_rps": rps["page"],
        "debate_rps": rps["debate"],
        "count_rps": rps["count"],
        "embed_rps": rps["embed"],
        "hello_rps": rps["hello"],
        "sign_p99_ms": phases["sign_80"]["p99_ms"],
        "lost": lost["lost"],
        "double": double["double"],
        "emails_10k_s": emails["emails_10k_s"],
        "log_leaves_per_s": tlog.get("leaves_per_s"),
        **ratios,
        "targets": {name: {"target": TARGETS[name], "met": ok} for name, ok in met.items()},
        "all_targets_met": all(met.values()),
        "phases": phases,
        "warmups": load.warmups,
        "checks": checks,
        "config": {
            "server": f"undersigned serve --workers {WEB_WORKERS} (granian WSGI)",
            "load": f"wrk -t{THREADS} -c{CONNECTIONS}, {DURATION} s per phase after "
            f"{WARMUP} s warm-up",
            "database": without_password(stack.database_url),
            "redis": bool(os.environ.get("REDIS_URL")),
            "granian_blocking_threads": stack.env.get("GRANIAN_BLOCKING_THREADS", "default"),
            "paced_fraction": PACED_FRACTION,
        },
        "machine": facts,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "wall_time_s": round(stack.elapsed(), 1),
    }


def markdown_table(results: dict[str, Any]) -> str:
    """The results table, then the CPU table (and a warning when other programs took CPU)."""
    phases, targets = results["phases"], results["targets"]

    def yes(name: str) -> str:
        return "yes" if targets[name]["met"] else "**no**"

    def row(label: str, phase: dict[str, Any], ratio: str, target: str, met: str) -> str:
        return (
            f"| {label} | {phase['rps']:,.0f} | {phase['p50_ms']:.1f} | {phase['p95_ms']:.1f} | "
            f"{phase['p99_ms']:.1f} | {phase['errors']} | {ratio} | {target} | {met} |"
        )

    def pct(key: str, floor: str) -> str:
        value = results[key]
        return f"{value:.0%} of {floor}" if value is not None else "—"

    paced = phases["sign_80"]
    emails = results["checks"]["emails"]
    lost = results["checks"]["lost"]
    email_value = (
        f"{emails['emails_10k_s']:.1f} s ({emails['emails_per_s']:,.0f}/s)"
        if emails["emails_10k_s"] is not None
        else f"timed out: {emails['delivered']:,} in {emails['timeout_s']:.0f} s"
    )
    lines = [
        "| path | req/s | p50 ms | p95 ms | p99 ms | errors | ratio to floor | target | met? |",
        "|---|---:|---:|---:|---:|---:|---|---|---|",
        row("sign POST", phases["sign"], pct("sign_ratio", "insert"), TARGETS["sign"],
            yes("sign")),
        row("confirmation POST", phases["confirm"], pct("confirm_ratio", "insert"),
            TARGETS["confirm"], yes("confirm")),
        row("petition page GET", phases["page"], pct("page_ratio", "hello"), TARGETS["page"],
            yes("page")),
        row("debate page GET", phases["debate"], pct("debate_ratio", "hello"),
            TARGETS["debate"], yes("debate")),
        row("count.json GET", phases["count"], pct("count_ratio", "hello"), TARGETS["count"],
            yes("count")),
        row("embed widget GET", phases["embed"], pct("embed_ratio", "hello"), TARGETS["embed"],
            yes("embed")),
        row("floor: hello", phases["hello"], "—", "—", "—"),
        row("floor: one INSERT", phases["insert"], "—", "—", "—"),
        row(f"sign POST paced at 80% ({paced['target_rps']:,.0f}/s target, "
            f"{paced['late_fraction']:.0%} sent late)", paced, "—",
            f"p99 {TARGETS['sign_p99']}", yes("sign_p99")),
        f"| {EMAILS:,} confirmation emails to the sink | {email_value} | | | | | — | "
        f"{TARGETS['emails']} | {yes('emails')} |",
        f"| lost signatures (303s {lost['sign_303']:,}, rows {lost['rows']:,}) | "
        f"{results['lost']} | | | | | — | 0 | {yes('lost')} |",
        f"| double-counted (count {results['checks']['double']['counted']:,}, confirmed rows "
        f"{results['checks']['double']['confirmed_rows']:,}, held "
        f"{results['checks']['double'].get('held_rows', 0):,}) | {results['double']} | | | | | — "
        f"| 0 | {yes('double')} |",
        f"| transparency log: leaves appended by the counting job | "
        f"{results.get('log_leaves_per_s') or 0:,}/s | | | | | — | {TARGETS['log']} | "
        f"{yes('log')} |",
    ]  # fmt: skip
    lines += _cpu_table(results)
    return "\n".join(lines)


def _cpu_table(results: dict[str, Any]) -> list[str]:
    phases = results["phases"]
    lines = [
        "",
        "CPU during each measured run, % of all cores (kernel: interrupts and softirq, mostly",
        "the loopback network; other: busy time of programs the bench did not start):",
        "",
        "| run | busy | app server | PostgreSQL | wrk | kernel | harness | other "
        "| req/s without other (estimate) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, phase in phases.items():
        share = phase["cpu"]["share_pct"]
        lines.append(
            f"| {name} | {phase['cpu']['busy_pct']:.0f}% | {share['app']:.0f}% | "
            f"{share['postgres']:.0f}% | {share['wrk']:.0f}% | {share['kernel']:.0f}% | "
            f"{share['harness']:.0f}% | {share['other']:.0f}% | "
            f"{phase['rps_if_alone_est']:,.0f} |"
        )
    email_cpu = results["checks"]["emails"]["cpu"]
    if email_cpu:
        lines.append(
            f"| emails | {email_cpu['busy_pct']:.0f}% | worker "
            f"{email_cpu['share_pct']['worker']:.0f}%, sink {email_cpu['share_pct']['sink']:.0f}% "
            f"| {email_cpu['share_pct']['postgres']:.0f}% | — | "
            f"{email_cpu['share_pct']['kernel']:.0f}% | {email_cpu['share_pct']['harness']:.0f}% "
            f"| {email_cpu['share_pct']['other']:.0f}% | — |"
        )
    disturbed = [name for name, phase in phases.items() if phase["cpu"]["share_pct"]["other"] > 10]
    if disturbed:
        lines += ["", f"Warning: other processes took > 10% of the CPU in: {', '.join(disturbed)}."]
    return lines


def write_results(results: dict[str, Any]) -> Path:
    """results/<UTC timestamp>.json and the same text in latest.json; returns the first."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(results, indent=2, sort_keys=False) + "\n"
    path = RESULTS_DIR / f"{stamp}.json"
    path.write_text(text)
    (RESULTS_DIR / "latest.json").write_text(text)
    return path
