"""Run every differential case against one framework and dump the answers as JSON.

Usage: ``python run.py litestar|trioweb OUT.json [CASE_PREFIX ...]``. Run it with the
interpreter that has that framework installed (``compare.py`` does this for you).
"""

from __future__ import annotations

import base64
import json
import os
import sys
import traceback
import warnings
from typing import Any


def _encode_body(body: bytes) -> dict[str, str]:
    try:
        return {"text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(body).decode()}


def main() -> None:
    framework, out = sys.argv[1], sys.argv[2]
    prefixes = sys.argv[3:]
    os.environ["DIFF_FRAMEWORK"] = framework
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    warnings.simplefilter("ignore")
    import cases

    testing = __import__(f"{framework}.testing", fromlist=["TestClient"])
    results: dict[str, Any] = {}
    for name, (factory, requests) in cases.CASES.items():
        if prefixes and not any(name.startswith(p) for p in prefixes):
            continue
        cases.LOG.clear()
        try:
            app = factory()
        except Exception as exc:
            results[name] = {"build_error": f"{type(exc).__name__}: {exc}"}
            continue
        answers = []
        try:
            with testing.TestClient(app, raise_server_exceptions=False) as client:
                for method, path, kwargs in requests:
                    try:
                        response = client.request(method, path, follow_redirects=False, **kwargs)
                    except Exception as exc:
                        answers.append(
                            {
                                "request": f"{method} {path}",
                                "error": f"{type(exc).__name__}: {exc}",
                                "tb": traceback.format_exc()[-800:],
                            }
                        )
                        continue
                    answers.append(
                        {
                            "request": f"{method} {path}",
                            "status": response.status_code,
                            "headers": [
                                [k.decode("latin-1").lower(), v.decode("latin-1")]
                                for k, v in response.headers.raw
                            ],
                            "body": _encode_body(response.content),
                        }
                    )
        except Exception as exc:
            answers.append({"client_error": f"{type(exc).__name__}: {exc}"})
        results[name] = {"answers": answers}
    with open(out, "w") as fh:
        json.dump(results, fh, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
