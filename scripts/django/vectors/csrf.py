"""CSRF vectors: masks and tokens, get_token() minting and the cookie it sets, and CsrfViewMiddleware's verdicts.

Randomness is frozen: django.middleware.csrf draws every secret and mask through get_random_string, which
is replaced by a fixed sequence (recorded per case as "random", in the order Django drew them). Requests
are built with RequestFactory; SERVER_PORT is set the way gunicorn sets it (the Host header's port, else
the scheme's default), and ALLOWED_HOSTS is ['*'] (the service does not mirror ALLOWED_HOSTS).
"""

import contextlib
import string
from unittest import mock
from urllib.parse import urlencode

from django.http import HttpResponse
from django.middleware import csrf
from django.test import RequestFactory

from .common import exc_name, override_settings

CHARS = string.ascii_letters + string.digits
BEFORE_40 = not hasattr(csrf, "_check_token_format")
SECRET = "k7Qm2ZpX9aLc4TnV8bRw1YhJ6dFs3GeU"
OTHER_SECRET = "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp"


def fixed_string(seed):
    """A 32-character string of CSRF_ALLOWED_CHARS, different for each seed."""
    return "".join(CHARS[(seed * 7 + i * 13 + (seed * i) % 11) % len(CHARS)] for i in range(32))


@contextlib.contextmanager
def frozen_random(seed):
    """Replace get_random_string in django.middleware.csrf; yields the list of values it handed out."""
    drawn = []

    def fake(length, allowed_chars=CHARS):
        assert length == 32 and allowed_chars == csrf.CSRF_ALLOWED_CHARS
        value = fixed_string(seed + len(drawn))
        drawn.append(value)
        return value

    with mock.patch.object(csrf, "get_random_string", fake):
        yield drawn


def mask(secret, seed):
    with frozen_random(seed):
        return csrf._mask_cipher_secret(secret)


def mask_vectors():
    secrets = [SECRET, OTHER_SECRET, "a" * 32, "9" * 32, CHARS[:32], CHARS[30:62]]
    out = []
    for i, secret in enumerate(secrets):
        token = mask(secret, 100 + i)
        assert csrf._unmask_cipher_token(token) == secret
        out.append({"secret": secret, "mask": fixed_string(100 + i), "token": token})
    return out


def unmask_vectors():
    tokens = [mask(SECRET, 1), mask(OTHER_SECRET, 2), "0" * 64, "a" * 32 + "Z" * 32, CHARS + CHARS[:2], CHARS[::-1] + "ab"]
    return [{"token": t, "secret": csrf._unmask_cipher_token(t)} for t in tokens]


def native_cookie(secret):
    """What this Django version keeps in the cookie for a secret: the secret (4.0+) or a masked token."""
    return mask(secret, 7) if BEFORE_40 else secret


def token_for(secret, seed=11):
    return mask(secret, seed)


def flip(s, i):
    return s[:i] + ("B" if s[i] == "A" else "A") + s[i + 1:]


SETTING_NAMES = {
    "trusted_origins": "CSRF_TRUSTED_ORIGINS",
    "cookie_domain": "CSRF_COOKIE_DOMAIN",
    "header_name": "CSRF_HEADER_NAME",
    "use_x_forwarded_host": "USE_X_FORWARDED_HOST",
    "secure_proxy_ssl_header": "SECURE_PROXY_SSL_HEADER",
    "cookie_age": "CSRF_COOKIE_AGE",
    "cookie_path": "CSRF_COOKIE_PATH",
    "cookie_secure": "CSRF_COOKIE_SECURE",
    "cookie_httponly": "CSRF_COOKIE_HTTPONLY",
    "cookie_samesite": "CSRF_COOKIE_SAMESITE",
    "cookie_name": "CSRF_COOKIE_NAME",
    "use_sessions": "CSRF_USE_SESSIONS",
}


def django_settings(case_settings):
    out = {"ALLOWED_HOSTS": ["*"]}
    for key, value in case_settings.items():
        out[SETTING_NAMES[key]] = tuple(value) if key == "secure_proxy_ssl_header" else value
    return out


def build_request(case):
    headers = dict(case.get("headers", {}))
    host = headers.pop("host", "testserver")
    secure = case.get("connection_secure", False)
    port = host.rsplit(":", 1)[1] if ":" in host and not host.endswith("]") else ("443" if secure else "80")
    meta = {"HTTP_HOST": host, "SERVER_PORT": port}
    for name, value in headers.items():
        meta["HTTP_" + name.upper().replace("-", "_")] = value
    if case.get("cookie") is not None:
        meta["HTTP_COOKIE"] = "%s=%s" % (case.get("settings", {}).get("cookie_name", "csrftoken"), case["cookie"])
    factory = RequestFactory()
    method = case.get("method", "POST")
    form = case.get("form")
    content_type = case.get("content_type", "application/x-www-form-urlencoded")
    body = urlencode(form) if form is not None and content_type.endswith("urlencoded") else (form or "")
    return factory.generic(method, "/elixir/", data=body, content_type=content_type, secure=secure, **meta)


def run_middleware(request, view):
    middleware = csrf.CsrfViewMiddleware(lambda r: view(r))
    rejected = middleware.process_request(request)
    assert rejected is None
    response = middleware.process_view(request, view, (), {})
    if response is None:
        response = view(request)
        verdict = {"ok": True, "reason": None}
    else:
        reason = getattr(response, "csrf_reason", None)
        verdict = {"ok": False, "reason": reason}
    return middleware.process_response(request, response), verdict


def failure_view(request, reason=""):
    response = HttpResponse(status=403)
    response.csrf_reason = reason
    return response


def verdict_case(case):
    with override_settings(CSRF_FAILURE_VIEW="vectors.csrf.failure_view", **django_settings(case.get("settings", {}))), \
            frozen_random(500):
        request = build_request(case)
        if "session_csrftoken" in case:
            from django.contrib.sessions.backends.signed_cookies import SessionStore
            request.session = SessionStore()
            if case["session_csrftoken"] is not None:
                request.session[csrf.CSRF_SESSION_KEY] = case["session_csrftoken"]
        try:
            _response, verdict = run_middleware(request, lambda r: HttpResponse("ok"))
        except Exception as e:  # noqa: BLE001 -- Django crashed deciding: a rejection for us
            verdict = {"ok": False, "reason": None, "error": exc_name(e)}
    verdict.setdefault("error", None)
    return dict(case, expected=verdict)


def verdict_cases():
    native = native_cookie(SECRET)
    token = token_for(SECRET)
    other_token = token_for(OTHER_SECRET)
    legacy_masked = mask(SECRET, 3)
    trusted = ([".wild.example.com", "trusted.example.com"] if BEFORE_40
               else ["https://*.wild.example.com", "https://trusted.example.com"])
    proxy = {"secure_proxy_ssl_header": ["HTTP_X_FORWARDED_PROTO", "https"]}
    cases = []

    def add(name, description, **case):
        case.setdefault("cookie", native)
        cases.append(dict({"name": name, "description": description}, **case))

    form = {"csrfmiddlewaretoken": token}
    # --- tokens -------------------------------------------------------------------------------
    add("form_token_good", "POST form with the masked token of the cookie's secret", form=form)
    add("header_token_good", "POST without a form field, token in X-CSRFToken", headers={"x-csrftoken": token})
    add("form_token_unmasked_secret", "the bare 32-character secret as the form token", form={"csrfmiddlewaretoken": SECRET})
    add("form_token_other_secret", "a well-formed token of another secret", form={"csrfmiddlewaretoken": other_token})
    add("form_token_tampered", "one character of the token changed", form={"csrfmiddlewaretoken": flip(token, 40)})
    add("form_token_tampered_mask", "one character of the mask half changed", form={"csrfmiddlewaretoken": flip(token, 3)})
    add("form_token_63_chars", "token one character short", form={"csrfmiddlewaretoken": token[:63]})
    add("form_token_65_chars", "token one character long", form={"csrfmiddlewaretoken": token + "a"})
    add("form_token_bad_character", "token with a '!' in it", form={"csrfmiddlewaretoken": token[:10] + "!" + token[11:]})
    add("form_token_non_ascii", "token with an 'é' in it", form={"csrfmiddlewaretoken": token[:10] + "é" + token[11:]})
    add("no_token", "POST with neither form field nor header", form={"other": "x"})
    add("header_empty", "X-CSRFToken present and empty", headers={"x-csrftoken": ""})
    add("form_empty_header_good", "empty form field falls back to the header", form={"csrfmiddlewaretoken": ""},
        headers={"x-csrftoken": token})
    add("form_bad_header_good", "a wrong form field wins over a good header", form={"csrfmiddlewaretoken": other_token},
        headers={"x-csrftoken": token})
    add("json_body_token", "token inside a JSON body: request.POST is empty for JSON", form='{"csrfmiddlewaretoken": "%s"}' % token,
        content_type="application/json")
    add("put_header_good", "PUT with the token in the header", method="PUT", headers={"x-csrftoken": token})
    add("put_form_field_ignored", "PUT with the token only in a form body (only POST reads request.POST)", method="PUT", form=form)
    add("delete_no_token", "DELETE without a token", method="DELETE")
    add("patch_header_good", "PATCH with the token in the header", method="PATCH", headers={"x-csrftoken": token})
    add("get_no_token", "GET needs nothing", method="GET", cookie=None)
    add("head_no_token", "HEAD needs nothing", method="HEAD", cookie=None)
    add("options_no_token", "OPTIONS needs nothing", method="OPTIONS", cookie=None)
    add("trace_no_token", "TRACE needs nothing", method="TRACE", cookie=None)
    add("custom_header_name", "CSRF_HEADER_NAME=HTTP_X_XSRF_TOKEN with the token there", headers={"x-xsrf-token": token},
        settings={"header_name": "HTTP_X_XSRF_TOKEN"})
    add("custom_header_name_default_ignored", "CSRF_HEADER_NAME changed, token in X-CSRFToken",
        headers={"x-csrftoken": token}, settings={"header_name": "HTTP_X_XSRF_TOKEN"})
    add("custom_header_name_wrong_length", "CSRF_HEADER_NAME changed, its token too short", headers={"x-xsrf-token": "abc"},
        settings={"header_name": "HTTP_X_XSRF_TOKEN"})
    # --- cookies ------------------------------------------------------------------------------
    add("no_cookie", "no CSRF cookie at all", cookie=None, form=form)
    add("cookie_wrong_length", "cookie of 20 characters", cookie="a" * 20, form=form)
    add("cookie_bad_characters", "cookie of 32 characters with a '-'", cookie=SECRET[:31] + "-", form=form)
    add("cookie_empty", "cookie present and empty", cookie="", form=form)
    add("cookie_masked_64", "cookie is a masked 64-character token (what Django < 4.0 wrote)", cookie=legacy_masked, form=form)
    add("cookie_secret_32", "cookie is the bare 32-character secret (what Django >= 4.0 writes)", cookie=SECRET, form=form)
    add("cookie_secret_32_header_secret", "cookie is the bare secret and the header too", cookie=SECRET,
        headers={"x-csrftoken": SECRET})
    add("cookie_other_name", "CSRF_COOKIE_NAME=othercsrf and the cookie under that name", form=form,
        settings={"cookie_name": "othercsrf"})
    # --- sessions -----------------------------------------------------------------------------
    session_value = native
    add("sessions_good", "CSRF_USE_SESSIONS: the session's _csrftoken, form token good", cookie=None,
        session_csrftoken=session_value, form=form, settings={"use_sessions": True})
    add("sessions_no_secret", "CSRF_USE_SESSIONS: nothing in the session", cookie=None, session_csrftoken=None, form=form, settings={"use_sessions": True})
    add("sessions_cookie_ignored", "CSRF_USE_SESSIONS: a good cookie does not count", session_csrftoken=None, form=form, settings={"use_sessions": True})
    add("sessions_other_secret", "CSRF_USE_SESSIONS: the session holds another secret", cookie=None,
        session_csrftoken=native_cookie(OTHER_SECRET), form=form, settings={"use_sessions": True})
    # --- Origin (Django >= 4.0 checks it; 3.2 ignores it) -------------------------------------
    add("origin_same", "Origin http://testserver", headers={"origin": "http://testserver"}, form=form)
    add("origin_same_with_port", "Host and Origin with port 8000", headers={"host": "testserver:8000", "origin": "http://testserver:8000"}, form=form)
    add("origin_port_missing", "Host has port 8000, Origin none", headers={"host": "testserver:8000", "origin": "http://testserver"}, form=form)
    add("origin_other_site", "Origin of another site", headers={"origin": "https://evil.example.org"}, form=form)
    add("origin_null", "Origin: null", headers={"origin": "null"}, form=form)
    add("origin_https_on_http", "Origin https:// while the request is http", headers={"origin": "https://testserver"}, form=form)
    add("origin_upper_case_host", "Origin host in upper case", headers={"origin": "http://TESTSERVER"}, form=form)
    add("origin_trusted_exact", "Origin listed in CSRF_TRUSTED_ORIGINS", headers={"origin": "https://trusted.example.com"},
        form=form, settings={"trusted_origins": trusted})
    add("origin_trusted_wildcard_sub", "Origin matches the wildcard entry", headers={"origin": "https://a.b.wild.example.com"},
        form=form, settings={"trusted_origins": trusted})
    add("origin_trusted_wildcard_apex", "Origin is the wildcard's own domain", headers={"origin": "https://wild.example.com"},
        form=form, settings={"trusted_origins": trusted})
    add("origin_trusted_wildcard_scheme", "wildcard entry is https, Origin http", headers={"origin": "http://a.wild.example.com"},
        form=form, settings={"trusted_origins": trusted})
    add("origin_trusted_suffix_trick", "Origin notwild.example.com is no subdomain", headers={"origin": "https://notwild.example.com"},
        form=form, settings={"trusted_origins": trusted})
    add("origin_bad_ipv6", "Origin with an unbalanced IPv6 bracket", headers={"origin": "http://[::1"}, form=form)
    add("origin_bad_token", "good Origin, bad token", headers={"origin": "http://testserver"}, form={"csrfmiddlewaretoken": other_token})
    # --- Referer (HTTPS only) -----------------------------------------------------------------
    s = {"connection_secure": True}
    add("https_no_referer", "HTTPS POST without Origin or Referer", form=form, **s)
    add("https_referer_same", "HTTPS, Referer https://testserver/page", headers={"referer": "https://testserver/page"}, form=form, **s)
    add("https_referer_other", "HTTPS, Referer of another site", headers={"referer": "https://evil.example.org/x?y=1#z"}, form=form, **s)
    add("https_referer_insecure", "HTTPS, Referer http://", headers={"referer": "http://testserver/"}, form=form, **s)
    add("https_referer_malformed", "HTTPS, Referer without a scheme", headers={"referer": "testserver/page"}, form=form, **s)
    add("https_referer_no_host", "HTTPS, Referer https:///path", headers={"referer": "https:///path"}, form=form, **s)
    add("https_referer_trusted", "HTTPS, Referer of a trusted origin", headers={"referer": "https://trusted.example.com/f"},
        form=form, settings={"trusted_origins": trusted}, **s)
    add("https_referer_trusted_wildcard", "HTTPS, Referer under the wildcard", headers={"referer": "https://x.wild.example.com/"},
        form=form, settings={"trusted_origins": trusted}, **s)
    add("https_referer_cookie_domain", "CSRF_COOKIE_DOMAIN .example.com, Referer https://sub.example.com",
        headers={"host": "www.example.com", "referer": "https://sub.example.com/"}, form=form,
        settings={"cookie_domain": ".example.com"}, **s)
    add("https_referer_cookie_domain_port", "CSRF_COOKIE_DOMAIN with a non-default port",
        headers={"host": "www.example.com:8443", "referer": "https://sub.example.com:8443/"}, form=form,
        settings={"cookie_domain": ".example.com"}, **s)
    add("https_referer_cookie_domain_other", "CSRF_COOKIE_DOMAIN .example.com, Referer elsewhere",
        headers={"host": "www.example.com", "referer": "https://example.org/"}, form=form,
        settings={"cookie_domain": ".example.com"}, **s)
    add("https_origin_no_referer", "HTTPS with a good Origin and no Referer", headers={"origin": "https://testserver"}, form=form, **s)
    add("https_referer_same_bad_token", "HTTPS, good Referer, bad token", headers={"referer": "https://testserver/"},
        form={"csrfmiddlewaretoken": other_token}, **s)
    # --- proxies ------------------------------------------------------------------------------
    add("proxy_proto_https_no_referer", "SECURE_PROXY_SSL_HEADER and X-Forwarded-Proto https: HTTPS rules",
        headers={"x-forwarded-proto": "https"}, form=form, settings=proxy)
    add("proxy_proto_https_referer", "X-Forwarded-Proto https and a good Referer",
        headers={"x-forwarded-proto": "https", "referer": "https://testserver/"}, form=form, settings=proxy)
    add("proxy_proto_https_origin", "X-Forwarded-Proto https and Origin https://testserver",
        headers={"x-forwarded-proto": "https", "origin": "https://testserver"}, form=form, settings=proxy)
    add("proxy_proto_list", "X-Forwarded-Proto 'https, http' (4.1+ reads the first value)",
        headers={"x-forwarded-proto": "https, http", "origin": "https://testserver"}, form=form, settings=proxy)
    add("proxy_proto_not_trusted", "X-Forwarded-Proto https without SECURE_PROXY_SSL_HEADER",
        headers={"x-forwarded-proto": "https", "origin": "https://testserver"}, form=form)
    add("proxy_forwarded_host_ignored", "X-Forwarded-Host without USE_X_FORWARDED_HOST",
        headers={"host": "internal:3000", "x-forwarded-host": "public.example.com", "origin": "http://public.example.com"}, form=form)
    add("proxy_forwarded_host_used", "X-Forwarded-Host with USE_X_FORWARDED_HOST",
        headers={"host": "internal:3000", "x-forwarded-host": "public.example.com", "origin": "http://public.example.com"},
        form=form, settings={"use_x_forwarded_host": True})
    add("proxy_forwarded_host_list", "X-Forwarded-Host 'a, b' is not a valid host",
        headers={"x-forwarded-host": "public.example.com, other", "origin": "http://public.example.com"},
        form=form, settings={"use_x_forwarded_host": True})
    add("host_malformed", "Host header that is not a host name", headers={"host": "bad host!", "origin": "http://bad host!"}, form=form)
    return [verdict_case(c) for c in cases]


def set_cookie_block(response, name):
    morsel = response.cookies.get(name)
    if morsel is None:
        return None
    return {
        "value": morsel.value,
        "max_age": morsel["max-age"] if morsel["max-age"] != "" else None,
        "has_expires": morsel["expires"] != "",
        "domain": morsel["domain"] or None,
        "path": morsel["path"],
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"] or None,
        "vary": response.get("Vary"),
    }


def mint_case(name, description, cookie, seed, settings=None, calls=1):
    settings = settings or {}
    case = {"name": name, "description": description, "cookie": cookie, "settings": settings, "calls": calls}
    with override_settings(**django_settings(settings)), frozen_random(seed) as drawn:
        request = build_request(dict(case, method="GET"))
        tokens = []

        def view(r):
            for _ in range(calls):
                tokens.append(csrf.get_token(r))
            return HttpResponse("ok")

        response, _verdict = run_middleware(request, view)
        for t in tokens:
            assert csrf._unmask_cipher_token(t) is not None
    case.update(random=list(drawn), tokens=tokens,
                set_cookie=set_cookie_block(response, settings.get("cookie_name", "csrftoken")))
    return case


def mint_cases():
    native = native_cookie(SECRET)
    custom = {"cookie_age": None, "cookie_domain": ".example.com", "cookie_path": "/elixir/", "cookie_secure": True,
              "cookie_httponly": True, "cookie_samesite": "Strict", "cookie_name": "othercsrf"}
    return [
        mint_case("no_cookie", "no cookie yet: a new secret, the cookie set", None, 200),
        mint_case("native_cookie", "the cookie this version writes: the same secret, the cookie renewed", native, 210),
        mint_case("masked_cookie", "a masked 64-character cookie (Django < 4.0's)", mask(SECRET, 4), 220),
        mint_case("secret_cookie", "a bare 32-character cookie (Django >= 4.0's)", SECRET, 230),
        mint_case("bad_cookie", "a cookie with invalid characters: replaced", "x" * 31 + "!", 240),
        mint_case("two_tokens", "get_token() twice in one request", native, 250, calls=2),
        mint_case("custom_attributes", "every CSRF_COOKIE_* attribute changed", None, 260, settings=custom),
        mint_case("samesite_none", "CSRF_COOKIE_SAMESITE='None'", None, 270, settings={"cookie_samesite": "None"}),
        mint_case("samesite_false", "CSRF_COOKIE_SAMESITE=False", None, 280, settings={"cookie_samesite": False}),
    ]


def sections():
    return {
        "csrf": {
            "before_40": BEFORE_40,
            "masks": mask_vectors(),
            "unmasks": unmask_vectors(),
            "mints": mint_cases(),
            "verdicts": verdict_cases(),
        },
    }
