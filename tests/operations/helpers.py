"""Reading /metrics as Prometheus does, in the tests of the operations app."""

from __future__ import annotations

from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from undersigned.operations import gauges

TOKEN = "a-metrics-token-for-the-tests-0123456789"


def scrape(client: Client | None = None, **headers: str) -> str:
    gauges.DATABASE.read_at = float("-inf")  # no cached numbers from an earlier test
    response = (client or Client()).get(
        "/metrics", headers={"Authorization": f"Bearer {TOKEN}", **headers}
    )
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """{(sample name, its labels): value} of a scrape, parsed by prometheus_client."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    return samples(text)[(name, frozenset(labels.items()))]
