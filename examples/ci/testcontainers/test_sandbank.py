"""pytest + testcontainers: a throwaway sandbank for the test session, ready when its healthcheck is."""

import json
import urllib.request

import pytest
from testcontainers.core.container import DockerContainer
from testcontainers.core.wait_strategies import HealthcheckWaitStrategy

IMAGE = "ghcr.io/sandbank/sandbank:0.1.0"
DEMO_KEY = "sandbank-demo-key"


@pytest.fixture(scope="session")
def sandbank_url():
    container = (
        DockerContainer(IMAGE)
        .with_exposed_ports(8080)
        .waiting_for(HealthcheckWaitStrategy())
    )
    with container:
        yield f"http://{container.get_container_host_ip()}:{container.get_exposed_port(8080)}"


def test_pan_validation(sandbank_url):
    request = urllib.request.Request(
        f"{sandbank_url}/api/v0/panValidation",
        data=json.dumps({"pan": "ABCPE1234F"}).encode(),
        headers={"apikey": DEMO_KEY, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert json.load(response)["FirstName"] == "Rahul"
