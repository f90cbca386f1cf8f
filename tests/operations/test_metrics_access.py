"""Only the scraper the operator names reads /metrics; everyone else gets a plain 404."""

import ipaddress

import pytest
from django.test import Client, override_settings

from tests.operations.helpers import TOKEN, scrape

pytestmark = pytest.mark.django_db


def networks(value: str) -> list:
    return [ipaddress.ip_network(value)]


@override_settings(METRICS_TOKEN="", METRICS_ALLOWED_NETWORKS=[])
def test_metrics_are_not_found_unless_the_operator_switches_them_on():
    response = Client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 404


@override_settings(METRICS_TOKEN=TOKEN, METRICS_ALLOWED_NETWORKS=[])
@pytest.mark.parametrize(
    "authorization", ["", "Bearer", f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN]
)
def test_a_scrape_without_the_right_bearer_token_is_not_found(authorization):
    headers = {"Authorization": authorization} if authorization else {}
    assert Client().get("/metrics", headers=headers).status_code == 404


@override_settings(METRICS_TOKEN=TOKEN, METRICS_ALLOWED_NETWORKS=[])
def test_a_scrape_with_the_token_reads_prometheus_text():
    response = Client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert response["Cache-Control"] == "no-store"
    assert "# TYPE undersigned_http_requests_total counter" in response.content.decode()


@override_settings(METRICS_TOKEN="", METRICS_ALLOWED_NETWORKS=networks("10.0.0.0/8"))
def test_allowed_networks_let_an_internal_scraper_in_and_no_one_else():
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="192.0.2.7").get("/metrics").status_code == 404


@override_settings(
    METRICS_TOKEN="", METRICS_ALLOWED_NETWORKS=networks("10.0.0.0/8"),
    TRUSTED_PROXIES=networks("10.0.0.2/32"),
)  # fmt: skip
def test_a_request_the_tls_proxy_forwards_from_the_internet_is_judged_by_its_origin():
    proxied = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.get("/metrics").status_code == 404


@override_settings(METRICS_TOKEN=TOKEN, METRICS_ALLOWED_NETWORKS=networks("10.0.0.0/8"))
def test_with_both_set_a_scrape_needs_both():
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 404
    assert (
        Client(REMOTE_ADDR="192.0.2.7")
        .get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        .status_code
        == 404
    )
    scrape(Client(REMOTE_ADDR="10.1.2.3"))


@override_settings(METRICS_TOKEN=TOKEN, METRICS_ALLOWED_NETWORKS=[])
def test_metrics_answer_only_get():
    response = Client().post("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 405
