"""compose.yml and the Kubernetes production overlay describe the same processes, wired alike."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from conftest import DEPLOY, ENV_EXAMPLE, ROOT
from topology import (
    PORTLESS,
    PROCESSES,
    compose_processes,
    env_file_keys,
    k8s_config,
    k8s_processes,
    main_container,
    secret_refs,
    uses_secret,
    workload,
)

SCALED = ("rasa", "actions", "web")
PROXY_VARIABLES = {"TRUSTED_PROXIES", "FORWARDED_ALLOW_IPS"}  # the network differs by platform
# What Rasa publishes with (bot/endpoints.yml), what the consumer reads (seniorplus/events).
EVENT_BROKER = {f"EVENT_BROKER_{n}" for n in
                ("TYPE", "URL", "PORT", "USERNAME", "PASSWORD", "EXCHANGE", "QUEUE")}  # fmt: skip
SECRET_NAME = re.compile(r"TOKEN|PASSWORD|SECRET|_PASS$|_SID$")
# What the production code refuses to start without (seniorplus/web/startup.py,
# actions/server.py, bot/endpoints.yml), beyond the ${VARIABLES} of bot/*.yml.
REQUIRED = {
    "web": {"APP_ENV", "DATABASE_URL", "TRACKER_STORE_URL", "RASA_URL", "RASA_TOKEN",
            "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_SMS_NUMBER", "TELEGRAM_BOT_TOKEN",
            "TRUSTED_PROXIES", "FORWARDED_ALLOW_IPS", "SCHEDULER_ENABLED",
            "EVENT_BROKER_TYPE"},  # the console reads conversation_activity only when pika
    "actions": {"APP_ENV", "DATABASE_URL", "TRACKER_STORE_URL", "ACTION_SERVER_TOKEN", "RASA_URL"},
    "scheduler": {"APP_ENV", "DATABASE_URL", "TRACKER_STORE_URL", "RASA_TOKEN",
                  "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TELEGRAM_BOT_TOKEN"},
    "migrate": {"DATABASE_URL"},
    "events": {"APP_ENV", "DATABASE_URL"} | EVENT_BROKER,
    # TRUSTED_PROXIES: the channels' per-address limit counts the client behind the proxy.
    "rasa": {"DATABASE_URL", "REDIS_URL", "RASA_TOKEN", "TRUSTED_PROXIES"},
}  # fmt: skip
# docs/performance.md (make bench, 2026-12-06): resident memory of one Rasa replica, in MB.
RASA_RESIDENT_MB = 1291
MEMORY_UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 10**3, "M": 10**6, "G": 10**9}


def memory_bytes(quantity: str) -> float:
    """A Kubernetes memory quantity (``1536Mi``, ``1.5Gi``, ``2G``) in bytes."""
    match = re.fullmatch(r"([0-9.]+)([KMG]i?)?", quantity)
    assert match, quantity
    return float(match.group(1)) * MEMORY_UNITS.get(match.group(2) or "", 1)


def bot_yaml_variables() -> set[str]:
    text = "".join(
        (ROOT / "bot" / n).read_text(encoding="utf-8") for n in ("endpoints.yml", "credentials.yml")
    )
    return set(re.findall(r"\$\{([A-Z0-9_]+)\}", text))


def test_the_same_processes_run_in_compose_and_kubernetes(compose: Any, k8s: Any) -> None:
    in_compose, in_k8s = compose_processes(compose, DEPLOY), k8s_processes(k8s)
    assert set(in_compose) == set(in_k8s) == PROCESSES
    for name, process in in_compose.items():
        other = in_k8s[name]
        assert (process.image, process.command) == (other.image, other.command), name


def test_rasa_action_servers_and_web_are_replicated(compose: Any, k8s: Any) -> None:
    for processes in (compose_processes(compose, DEPLOY), k8s_processes(k8s)):
        for name in SCALED:
            assert processes[name].replicas >= 2, name
        assert processes["rasa"].image == "bot"
        assert {
            processes[n].image for n in ("actions", "web", "scheduler", "events", "migrate")
        } == {"app"}


def test_the_configuration_is_the_same_apart_from_the_proxys_network(
    compose_source: Any, compose: Any, k8s: Any
) -> None:
    in_compose = {k: str(v) for k, v in compose_source["x-config"].items()}
    in_k8s = k8s_config(k8s)
    assert set(in_compose) == set(in_k8s)
    for key in set(in_k8s) - PROXY_VARIABLES:
        # compose may leave a value to the operator's environment, with the same default
        assert in_compose[key] in (in_k8s[key], f"${{{key}:-{in_k8s[key]}}}"), key
    assert in_k8s["APP_ENV"] == "production" and in_k8s["LOCK_STORE_TYPE"] == "redis"
    assert in_k8s["EVENT_BROKER_TYPE"] == "pika"
    # uvicorn must trust exactly the proxies the console trusts (seniorplus/web/startup.py)
    for config in (in_compose, in_k8s):
        assert config["TRUSTED_PROXIES"] == config["FORWARDED_ALLOW_IPS"] != ""
    proxy_address = compose["services"]["haproxy"]["networks"]["backend"]["ipv4_address"]
    trusted = [ipaddress.ip_network(n) for n in in_compose["TRUSTED_PROXIES"].split(",")]
    assert any(ipaddress.ip_address(proxy_address) in net for net in trusted)


def test_no_secret_is_written_in_the_configuration(compose_source: Any, k8s: Any) -> None:
    for config in (compose_source["x-config"], k8s_config(k8s)):
        for key, value in config.items():
            assert not SECRET_NAME.search(key), key
            assert "@" not in str(value), f"{key} holds credentials"
    assert not [d for d in k8s if d["kind"] == "Secret"], (
        "secrets are created outside the repository"
    )


def test_the_env_file_example_holds_only_placeholders() -> None:
    for key, value in env_file_keys(ENV_EXAMPLE).items():
        if SECRET_NAME.search(key) or "@" in value:
            assert value == "" or re.search(r"<[^>]+>", value), f"{key}: a real-looking secret"


def provided(compose: Any, k8s: Any, name: str) -> tuple[set[str], set[str]]:
    """The variables process `name` gets in compose and in Kubernetes (config, env, secrets)."""
    secrets = set(env_file_keys(ENV_EXAMPLE))
    in_compose = set(compose_processes(compose, DEPLOY)[name].env_keys)
    in_k8s = set(k8s_processes(k8s)[name].env_keys)
    (workload,) = [
        d for d in k8s if d["kind"] in {"Deployment", "Job"} and d["metadata"]["name"] == name
    ]
    (container,) = workload["spec"]["template"]["spec"]["containers"]
    if uses_secret(container, "senior-plus-secrets"):
        in_k8s |= secrets
    return in_compose, in_k8s


def test_every_process_gets_the_variables_it_needs(compose: Any, k8s: Any) -> None:
    needs = dict(REQUIRED)
    needs["rasa"] = REQUIRED["rasa"] | bot_yaml_variables()
    assert {"ACTION_SERVER_TOKEN", "TRACKER_STORE_URL", "LOCK_STORE_TYPE"} <= needs["rasa"]
    for name, variables in needs.items():
        for platform in provided(compose, k8s, name):
            assert variables <= platform, f"{name}: {sorted(variables - platform)}"


def test_only_the_proxy_is_reachable_from_outside(compose: Any, k8s: Any) -> None:
    published = {n for n, s in compose["services"].items() if s.get("ports")}
    assert published == {"haproxy"}
    assert {int(p["target"]) for p in compose["services"]["haproxy"]["ports"]} == {8080, 8443}
    assert not [d for d in k8s if d["kind"] == "Ingress"]
    external = {
        d["metadata"]["name"] for d in k8s
        if d["kind"] == "Service" and d["spec"].get("type") in {"LoadBalancer", "NodePort"}
    }  # fmt: skip
    assert external == {"haproxy"}
    for doc in k8s:
        pod = doc.get("spec", {}).get("template", {}).get("spec", {})
        assert not pod.get("hostNetwork"), doc["metadata"]["name"]
        for container in pod.get("containers", []):
            assert all("hostPort" not in p for p in container.get("ports", [])), doc["metadata"][
                "name"
            ]


def test_rasa_and_the_web_see_each_clients_own_address_behind_the_proxy(
    compose: Any, k8s: Any
) -> None:
    """HAProxy writes the address it sees, the client's own header removed; the Kubernetes
    load balancer must not replace that address by a node's (``externalTrafficPolicy``)."""
    config = (DEPLOY / "haproxy" / "haproxy.cfg").read_text(encoding="utf-8")
    directives = {line.strip() for line in config.splitlines()}
    assert {"option forwardfor", "http-request del-header X-Forwarded-For"} <= directives
    (service,) = [d for d in k8s if d["kind"] == "Service" and d["metadata"]["name"] == "haproxy"]
    assert service["spec"]["externalTrafficPolicy"] == "Local"
    for name in ("rasa", "web"):
        for platform in provided(compose, k8s, name):
            assert "TRUSTED_PROXIES" in platform, name


def test_rasa_asks_for_the_memory_it_was_measured_to_use(k8s: Any) -> None:
    """The scheduler places a replica where its measured resident memory fits, with room."""
    resources = main_container(workload(k8s, "rasa"))["resources"]
    request = memory_bytes(resources["requests"]["memory"])
    limit = memory_bytes(resources["limits"]["memory"])
    assert request >= 1.15 * RASA_RESIDENT_MB * 10**6
    assert limit >= 1.25 * request


def test_network_policies_let_only_rasa_call_the_action_server(k8s: Any) -> None:
    policies = {d["metadata"]["name"]: d["spec"] for d in k8s if d["kind"] == "NetworkPolicy"}
    assert policies["default-deny-ingress"]["podSelector"] == {}
    (rule,) = policies["actions-ingress"]["ingress"]
    assert [s["podSelector"]["matchLabels"]["app"] for s in rule["from"]] == ["rasa"]
    (rule,) = policies["rasa-ingress"]["ingress"]
    assert {s["podSelector"]["matchLabels"]["app"] for s in rule["from"]} == {"haproxy", "web"}


def test_long_running_containers_have_probes_and_health_checks(compose: Any, k8s: Any) -> None:
    for doc in k8s:
        if doc["kind"] not in {"Deployment", "StatefulSet"}:
            continue
        name, only = doc["metadata"]["name"], main_container(doc)
        if name in PORTLESS:  # nothing to ask; tini exits with the process, which restarts it
            values = {e["name"]: e.get("value") for e in only.get("env", [])}
            assert not only.get("ports") and values["HEALTHCHECK_URL"] == "", name
            assert compose["services"][name]["environment"]["HEALTHCHECK_URL"] == "", name
            continue
        assert "readinessProbe" in only and "livenessProbe" in only, name
    for name, service in compose["services"].items():
        built = "build" in service  # our images carry a HEALTHCHECK (tests/deploy/test_images.py)
        assert built or "healthcheck" in service, name


def test_readiness_asks_for_the_services_and_liveness_for_the_process(k8s: Any) -> None:
    """Readiness fails without the database, Redis or the model; liveness only without the process
    (a database outage must not restart every pod). docs/deployment.md, « Exploitation »."""
    for doc in k8s:
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] in {"rasa", "actions", "web"}:
            only = main_container(doc)
            assert only["readinessProbe"]["httpGet"]["path"] == "/health/ready"
            assert only["livenessProbe"]["httpGet"]["path"] == "/health/live"
            assert (
                only.get("startupProbe", {"httpGet": {"path": "/health/live"}})["httpGet"]["path"]
                == "/health/live"
            )


def test_every_pod_runs_as_a_user_other_than_root(k8s: Any) -> None:
    for doc in k8s:
        if doc["kind"] not in {"Deployment", "StatefulSet", "Job"}:
            continue
        pod = doc["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, doc["metadata"]["name"]
        assert pod["securityContext"]["runAsUser"] != 0, doc["metadata"]["name"]


def test_rasa_shares_its_tracker_store_and_lock_store() -> None:
    endpoints = (ROOT / "bot" / "endpoints.yml").read_text(encoding="utf-8")
    assert "type: ${LOCK_STORE_TYPE}" in endpoints  # the atomic lock store plugs in by name
    secrets = env_file_keys(ENV_EXAMPLE)
    assert secrets["TRACKER_STORE_URL"].startswith("postgresql://")
    assert secrets["DATABASE_URL"].startswith("postgresql://")


def test_the_proxy_finds_rasa_and_web_on_either_platform(compose: Any, k8s: Any) -> None:
    """compose's DNS answers the service's name; in Kubernetes HAProxy needs the FQDN."""
    in_compose = compose["services"]["haproxy"]["environment"]
    (proxy,) = [d for d in k8s if d["kind"] == "Deployment" and d["metadata"]["name"] == "haproxy"]
    namespace = proxy["metadata"]["namespace"]
    (container,) = proxy["spec"]["template"]["spec"]["containers"]
    in_k8s = {e["name"]: e["value"] for e in container["env"]}
    ports = {
        d["metadata"]["name"]: d["spec"]["ports"][0]["port"] for d in k8s if d["kind"] == "Service"
    }
    for service in ("rasa", "web"):
        variable = f"{service.upper()}_BACKEND"
        assert in_compose[variable] == f"{service}:{ports[service]}"
        assert in_k8s[variable] == f"{service}.{namespace}.svc.cluster.local:{ports[service]}"


def test_kubernetes_keeps_each_images_entrypoint(k8s: Any) -> None:
    """`args`, never `command`: tini (our images) or the image's own entrypoint stays PID 1."""
    for doc in k8s:
        if doc["kind"] in {"Deployment", "StatefulSet", "Job"}:
            for container in doc["spec"]["template"]["spec"]["containers"]:
                assert "command" not in container, doc["metadata"]["name"]


def test_rabbitmq_and_postgres_get_only_their_own_secret(k8s: Any) -> None:
    for doc in k8s:
        if doc["metadata"]["name"] in {"postgres", "rabbitmq"} and doc["kind"] == "StatefulSet":
            (container,) = doc["spec"]["template"]["spec"]["containers"]
            assert "envFrom" not in container, doc["metadata"]["name"]


def test_the_event_consumer_runs_beside_rasa_on_either_platform(compose: Any, k8s: Any) -> None:
    """python -m seniorplus.events: app image, no port, at least one replica, after migrations."""
    for processes in (compose_processes(compose, DEPLOY), k8s_processes(k8s)):
        events = processes["events"]
        assert events.command == ("python", "-m", "seniorplus.events")
        assert events.image == "app" and events.replicas >= 1
    service = compose["services"]["events"]
    assert not service.get("ports") and not service.get("expose")
    assert set(service["depends_on"]) == {"postgres", "rabbitmq", "migrate"}
    assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert not [
        d for d in k8s
        if d["kind"] == "Service" and d["spec"].get("selector", {}).get("app") == "events"
    ]  # fmt: skip
    events = workload(k8s, "events")
    assert events["kind"] == "Deployment"
    # Kubernetes has no depends_on: the pod waits for this release's schema before consuming
    (wait,) = events["spec"]["template"]["spec"]["initContainers"]
    assert wait["image"] == main_container(events)["image"] and "command" not in wait
    assert "alembic current" in " ".join(wait["args"]) and "(head)" in " ".join(wait["args"])


def test_the_event_broker_settings_point_at_rabbitmq(compose: Any, k8s: Any) -> None:
    """Host and port are RabbitMQ's; exchange and queue are the names the code declares."""
    config = k8s_config(k8s)
    ports = {
        d["metadata"]["name"]: d["spec"]["ports"][0]["port"] for d in k8s if d["kind"] == "Service"
    }
    # The short name, as for Redis: Python clients use the pods' DNS search path.
    assert config["EVENT_BROKER_URL"] == "rabbitmq"
    assert "rabbitmq" in compose["services"] and "rabbitmq" in ports
    assert int(config["EVENT_BROKER_PORT"]) == ports["rabbitmq"]
    local = env_file_keys(ROOT / ".env.example")  # scripts/env.sh has the same defaults
    for key in ("EVENT_BROKER_EXCHANGE", "EVENT_BROKER_QUEUE"):
        assert config[key] == local[key], key


def test_the_broker_clients_log_in_with_rabbitmqs_own_account(k8s: Any) -> None:
    """One account: RabbitMQ's default user. Kubernetes refers to it; compose repeats it."""
    secrets = env_file_keys(ENV_EXAMPLE)
    for broker, rabbitmq in (("USERNAME", "USER"), ("PASSWORD", "PASS")):
        assert secrets[f"EVENT_BROKER_{broker}"] == secrets[f"RABBITMQ_DEFAULT_{rabbitmq}"]
    server = secret_refs(main_container(workload(k8s, "rabbitmq")))
    for name in ("rasa", "events"):
        refs = secret_refs(main_container(workload(k8s, name)))
        assert refs["EVENT_BROKER_USERNAME"] == server["RABBITMQ_DEFAULT_USER"], name
        assert refs["EVENT_BROKER_PASSWORD"] == server["RABBITMQ_DEFAULT_PASS"], name


def test_network_policies_let_the_consumer_reach_postgres_and_rabbitmq_only(k8s: Any) -> None:
    policies = {d["metadata"]["name"]: d["spec"] for d in k8s if d["kind"] == "NetworkPolicy"}
    reached = {
        spec["podSelector"]["matchLabels"]["app"]
        for spec in policies.values()
        for rule in spec.get("ingress", [])
        for source in rule.get("from", [])
        if source.get("podSelector", {}).get("matchLabels", {}).get("app") == "events"
    }
    assert reached == {"postgres", "rabbitmq"}
    # and no door is opened towards it (it serves nothing)
    opened = {s["podSelector"].get("matchLabels", {}).get("app") for s in policies.values()}
    assert "events" not in opened
