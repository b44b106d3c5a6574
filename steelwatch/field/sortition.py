"""The verifiable draw (双随机), as pure functions over plain data — the service and `steelwatch verify-draw`
both use these, so anyone holding a draw record can recompute it (RFC 3797 in spirit).

    candidates_sha256 = SHA-256("\n".join(target keys))      (UTF-8, hex)   — likewise inspectors_sha256
    commitment        = SHA-256(secret hex)
    seed              = SHA-256(secret hex + ":" + announced value), hex
    target rank       = HMAC-SHA256(key=seed hex, msg=target key), ascending hex; the first N are drawn
    inspector rank    = HMAC-SHA256(key=seed hex, msg=target key + ":" + inspector key), skipping the
                        excluded (inspector, target) pairs; the first k are assigned
"""

import hashlib
import hmac
import secrets

RECORD_FORMAT = "steelwatch-draw/1"


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def list_sha256(keys: list[str]) -> str:
    return sha256_hex("\n".join(keys))


def new_secret() -> str:
    return secrets.token_hex(32)


def commitment_of(secret_hex: str) -> str:
    return sha256_hex(secret_hex)


def seed_of(secret_hex: str, announced_value: str) -> str:
    return sha256_hex(f"{secret_hex}:{announced_value}")


def rank_value(seed_hex: str, message: str) -> str:
    return hmac.new(seed_hex.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def ranked(seed_hex: str, keys: list[str], prefix: str = "") -> list[str]:
    return sorted(keys, key=lambda k: (rank_value(seed_hex, prefix + k), k))


def draw_picks(
    *, seed_hex: str, candidates: list[str], inspectors: list[str], targets: int, per_target: int,
    excluded: set[tuple[str, str]],
) -> list[dict]:  # fmt: skip
    """[{"target", "inspectors"}] in draw order. `excluded` holds (inspector, target) pairs."""
    picks = []
    for target in ranked(seed_hex, candidates)[:targets]:
        eligible = [i for i in ranked(seed_hex, inspectors, f"{target}:") if (i, target) not in excluded]
        picks.append({"target": target, "inspectors": eligible[:per_target]})
    return picks


def verify_record(record: dict) -> list[str]:
    """What does not match in a draw record (empty: it matches). Never raises on a malformed record."""
    problems: list[str] = []
    try:
        candidates = [str(c) for c in record["candidates"]]
        inspectors = [str(i) for i in record["inspectors"]]
        params = record["parameters"]
        if list_sha256(candidates) != record["candidates_sha256"]:
            problems.append("candidates_sha256 与对象名录不符")
        if list_sha256(inspectors) != record["inspectors_sha256"]:
            problems.append("inspectors_sha256 与检查人员名录不符")
        secret = record.get("secret")
        if not secret:
            problems.append("尚未抽取：记录中没有公开的 secret")
            return problems
        if commitment_of(secret) != record["commitment"]:
            problems.append("secret 与事先公布的 commitment 不符")
        seed = seed_of(secret, str(record["announced_value"]))
        if seed != record.get("seed"):
            problems.append("seed 与 secret 和公开随机值的计算结果不符")
        excluded = {(str(e["inspector"]), str(e["target"])) for e in record.get("exclusions", [])}
        expected = draw_picks(
            seed_hex=seed,
            candidates=candidates,
            inspectors=inspectors,
            targets=int(params["targets"]),
            per_target=int(params["inspectors_per_target"]),
            excluded=excluded,
        )
        if expected != record.get("picks"):
            problems.append("抽取结果与重新计算的结果不符")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problems.append(f"记录格式不正确：{exc!r}")
    return problems
