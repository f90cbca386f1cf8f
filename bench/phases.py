"""The load phases, in order: the two floors, sign, confirm, page, debate page, count.json,
the embedded widget, paced sign.

Each phase is a warm-up run (kept apart) and a measured run at the same connection count.
The sign phases also tally the 303s they saw, for the lost-signature check.
"""

from __future__ import annotations

import secrets
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.config import (
    DEBATE_PATH,
    DURATION,
    PACED_FRACTION,
    SLUG,
    WARMUP,
    BenchError,
    log,
)
from bench.load import Wrk, summarise
from bench.network import form_fields
from bench.stack import Stack

# stage ("warmup" or "run") -> the environment the Lua script reads
EnvForStage = Callable[[str], dict[str, str]]


class LoadPhases:
    def __init__(self, stack: Stack, wrk: Wrk) -> None:
        self.stack = stack
        self.wrk = wrk
        self.phases: dict[str, dict[str, Any]] = {}
        self.warmups: dict[str, dict[str, Any]] = {}
        self.sign_303 = 0
        self.sign_in_flight = 0

    def phase(
        self,
        name: str,
        script: str,
        path: str,
        expect: int,
        env_for: EnvForStage,
        done_dirs: tuple[Path, Path] | None = None,
    ) -> dict[str, Any]:
        """A warm-up run (results kept apart), then the measured run."""
        if WARMUP > 0:
            warm_dir = done_dirs[0] if done_dirs else None
            self.warmups[name] = summarise(
                self.wrk.run(script, path, WARMUP, env_for("warmup"), warm_dir), expect
            )
        measured_dir = done_dirs[1] if done_dirs else None
        summary = summarise(
            self.wrk.run(script, path, DURATION, env_for("run"), measured_dir), expect
        )
        summary["path"] = path
        self.phases[name] = summary
        log(
            f"{name:8} {summary['rps']:8.1f} req/s  p50 {summary['p50_ms']:.1f} ms  "
            f"p99 {summary['p99_ms']:.1f} ms  errors {summary['errors']}  "
            f"statuses {summary['status_counts']}  cpu {summary['cpu']['busy_pct']:.0f}% "
            + " ".join(f"{k} {v:.0f}%" for k, v in summary["cpu"]["share_pct"].items())
        )
        return summary

    def run_all(self) -> None:
        run_tag = secrets.token_hex(3)
        petition_path = f"/petitions/{SLUG}/"

        def static(method: str = "GET", body: str = "") -> EnvForStage:
            return lambda _stage: {"BENCH_METHOD": method, "BENCH_BODY": body}

        self.phase("hello", "static.lua", "/bench/hello", 200, static())
        self.phase("insert", "static.lua", "/bench/insert", 200, static("POST", "payload=floor"))

        fields, cookie = form_fields(self.stack.url(petition_path), f"{petition_path}sign/")
        sign_body = urllib.parse.urlencode(
            {**fields, "name": "Bench Signer", "privacy_consent": "on"}
        )
        sign_path = f"{petition_path}sign/"

        # The tag makes every signer's email unique across phases, stages and runs.
        def sign_env(tag: str) -> EnvForStage:
            return lambda stage: {
                "BENCH_PATH": sign_path, "BENCH_BODY": sign_body, "BENCH_COOKIE": cookie,
                "BENCH_TAG": f"{tag}{stage[0]}{run_tag}",
            }  # fmt: skip

        self.phase("sign", "sign.lua", sign_path, 303, sign_env("m"))
        self._count_sign_answers("sign")

        self.confirm_phase()
        self.phase("page", "static.lua", petition_path, 200, static())
        self.phase("debate", "static.lua", DEBATE_PATH, 200, static())
        self.phase("count", "static.lua", f"{petition_path}count.json", 200, static())
        self.phase("embed", "static.lua", f"{petition_path}embed/", 200, static())

        target = max(1.0, PACED_FRACTION * self.phases["sign"]["rps"])

        def paced_env(stage: str) -> dict[str, str]:
            return {**sign_env("p")(stage), "BENCH_RATE": f"{target:.1f}"}

        paced = self.phase("sign_80", "sign.lua", sign_path, 303, paced_env)
        paced["target_rps"] = round(target, 1)
        paced["late_fraction"] = round(paced["late"] / max(1, paced["sent"]), 4)
        self._count_sign_answers("sign_80")

    def _count_sign_answers(self, name: str) -> None:
        for summary in (self.warmups.get(name), self.phases[name]):
            if summary:
                self.sign_303 += summary["status_counts"].get("303", 0)
                self.sign_in_flight += max(0, summary["sent"] - summary["requests"])

    def confirm_phase(self) -> None:
        """Confirms the signatures the sign phase made, each token once, until they run out."""
        from undersigned.core.linktoken import Kind, token_for
        from undersigned.signatures.models import Signature

        keys = list(
            Signature.objects.filter(petition=self.stack.petition, confirmed_at__isnull=True)
            .order_by("id")
            .values_list("confirmation_key", flat=True)
        )
        if not keys:
            raise BenchError("the sign phase created no signature to confirm")
        tokens = [token_for(Kind.SIGNATURE_CONFIRMATION, key) for key in keys]
        fields, cookie = form_fields(self.stack.url(f"/confirm/{tokens[0]}/"), "/confirm/")
        body = urllib.parse.urlencode(fields)
        split = min(len(tokens) // 5, 3000) if WARMUP > 0 else 0
        work_dir = self.stack.work_dir
        files = (work_dir / "tokens-warmup", work_dir / "tokens-run")
        files[0].write_text("".join(f"{token}\n" for token in tokens[:split]))
        files[1].write_text("".join(f"{token}\n" for token in tokens[split:]))
        done_dirs = (work_dir / "done-warmup", work_dir / "done-run")
        for directory in done_dirs:
            directory.mkdir()

        def confirm_env(stage: str) -> dict[str, str]:
            token_file = files[0] if stage == "warmup" else files[1]
            return {"BENCH_TOKENS": str(token_file), "BENCH_BODY": body, "BENCH_COOKIE": cookie}

        summary = self.phase("confirm", "confirm.lua", "/confirm/", 303, confirm_env, done_dirs)
        summary["path"] = "/confirm/<token>/"
        summary["tokens"] = len(tokens) - split
        summary["ran_out_of_tokens"] = summary["duration_s"] < DURATION - 0.5
