#!/usr/bin/python3
"""Offline checks of rendered Kubernetes manifests (kubectl kustomize output
on stdin): what a client-side dry run cannot check without a cluster, and
what this deployment promises. Exits 1 with one line per problem."""
import sys

import yaml


def labels_match(selector, labels):
    return all(labels.get(k) == v for k, v in (selector or {}).items())


def tokens_from_secret(env, container, pod):
    """Whether the principals come from a Secret: a file in a mounted Secret
    volume (reloaded in place), or an environment variable from one."""
    if "secretKeyRef" in env.get("NEWSDESK_AUTH_TOKENS", {}).get("valueFrom", {}):
        return True
    path = env.get("NEWSDESK_AUTH_TOKENS_FILE", {}).get("value", "")
    secrets = {v["name"] for v in pod.get("volumes", []) if "secret" in v}
    return bool(path) and any(
        m["name"] in secrets and path.startswith(m["mountPath"].rstrip("/") + "/")
        and "subPath" not in m  # a subPath mount is never updated in place
        for m in container.get("volumeMounts", []))


def main():
    docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
    problems = []
    by_kind = {}
    for d in docs:
        for field in ("apiVersion", "kind", "metadata"):
            if field not in d:
                problems.append(f"a document has no {field}")
        by_kind.setdefault(d.get("kind"), {})[d["metadata"]["name"]] = d
    workloads = {**by_kind.get("Deployment", {}), **by_kind.get("StatefulSet", {})}
    configmaps = by_kind.get("ConfigMap", {})
    if not workloads:
        problems.append("no Deployment or StatefulSet")

    for name, w in workloads.items():
        spec = w["spec"]
        pod = spec["template"]["spec"]
        labels = spec["template"]["metadata"].get("labels", {})
        if not labels_match(spec["selector"]["matchLabels"], labels):
            problems.append(f"{name}: selector does not match its pod labels")
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            problems.append(f"{name}: pods may run as root")
        if w["kind"] == "StatefulSet":
            if not spec.get("volumeClaimTemplates"):
                problems.append(f"{name}: StatefulSet without persistent volumes")
            if spec.get("serviceName") not in by_kind.get("Service", {}):
                problems.append(f"{name}: governing Service {spec.get('serviceName')} missing")
        for c in pod["containers"]:
            where = f"{name}/{c['name']}"
            res = c.get("resources", {})
            for part in ("requests", "limits"):
                for r in ("cpu", "memory"):
                    if r not in res.get(part, {}):
                        problems.append(f"{where}: no {part}.{r}")
            for probe in ("readinessProbe", "livenessProbe"):
                if probe not in c:
                    problems.append(f"{where}: no {probe}")
            if c["image"].startswith("localhost/newsdesk-") and "nats" not in c["image"]:
                # Native gRPC probes cannot speak TLS: the health probe binary does.
                for probe in ("readinessProbe", "livenessProbe"):
                    command = c.get(probe, {}).get("exec", {}).get("command", [])
                    if not command or not command[0].endswith("newsdesk-health-probe"):
                        problems.append(f"{where}: {probe} does not run newsdesk-health-probe")
                liveness = c.get("livenessProbe", {}).get("exec", {}).get("command", [])
                if "--service=liveness" not in liveness:
                    problems.append(f"{where}: liveness must check the 'liveness' service, "
                                    "not readiness")
                env = {e["name"]: e for e in c.get("env", [])}
                if "NEWSDESK_DEV_MODE_NO_AUTH" in env:
                    problems.append(f"{where}: authentication is off (development mode)")
                if not tokens_from_secret(env, c, pod):
                    problems.append(f"{where}: the auth tokens do not come from a Secret "
                                    "(NEWSDESK_AUTH_TOKENS_FILE in a mounted Secret, or "
                                    "NEWSDESK_AUTH_TOKENS from a secretKeyRef)")
                if "NEWSDESK_TLS_CERT" not in env or "NEWSDESK_TLS_KEY" not in env:
                    problems.append(f"{where}: no TLS certificate")
            for source in c.get("envFrom", []):
                ref = source.get("configMapRef", {}).get("name")
                if ref and ref not in configmaps:
                    problems.append(f"{where}: ConfigMap {ref} missing")
        for v in pod.get("volumes", []):
            ref = v.get("configMap", {}).get("name")
            if ref and ref not in configmaps:
                problems.append(f"{name}: volume ConfigMap {ref} missing")

    def selects_workload(selector):
        return any(labels_match(selector, w["spec"]["template"]["metadata"].get("labels", {}))
                   for w in workloads.values())

    for name, s in by_kind.get("Service", {}).items():
        if not selects_workload(s["spec"].get("selector")):
            problems.append(f"Service {name} selects no pods")
    for name, p in by_kind.get("PodDisruptionBudget", {}).items():
        if not selects_workload(p["spec"]["selector"]["matchLabels"]):
            problems.append(f"PodDisruptionBudget {name} selects no pods")
    for name in workloads:
        if not any(labels_match(p["spec"]["selector"]["matchLabels"],
                                workloads[name]["spec"]["template"]["metadata"]["labels"])
                   for p in by_kind.get("PodDisruptionBudget", {}).values()):
            problems.append(f"{name}: no PodDisruptionBudget")
    hpas = by_kind.get("HorizontalPodAutoscaler", {})
    if not hpas:
        problems.append("no HorizontalPodAutoscaler")
    for name, h in hpas.items():
        target = h["spec"]["scaleTargetRef"]
        if target["name"] not in by_kind.get(target["kind"], {}):
            problems.append(f"HorizontalPodAutoscaler {name}: target {target['name']} missing")
        if h["spec"]["minReplicas"] > h["spec"]["maxReplicas"]:
            problems.append(f"HorizontalPodAutoscaler {name}: min above max")

    config = configmaps.get("newsdesk-config", {}).get("data", {})
    nats = by_kind.get("StatefulSet", {}).get("nats")
    if config.get("NEWSDESK_LOG_BACKEND") == "jetstream" and nats:
        servers = config.get("NEWSDESK_NATS_SERVERS", "").split(",")
        if len(servers) != nats["spec"]["replicas"]:
            problems.append("NEWSDESK_NATS_SERVERS does not list every NATS server")
        if int(config.get("NEWSDESK_JETSTREAM_REPLICAS", "3")) > nats["spec"]["replicas"]:
            problems.append("the stream wants more replicas than there are NATS servers")

    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
