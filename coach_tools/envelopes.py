"""Alexa request envelopes as Alexa sends them, built in one place for the tests, the simulator and the bench."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

SKILL_ID = "amzn1.ask.skill.test-0000"
USER_ID = "amzn1.ask.account.TESTUSER"
API_ENDPOINT = "https://api.amazonalexa.com"
API_TOKEN = "secret-api-access-token"
_ids = itertools.count(1)


def iso_now(offset: float = 0.0) -> str:
    stamp = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=offset)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def slot(name: str, value: str | None = None, match_id: str | None = None, authority: str = "SpasmOnset", *,
         canonical: str | None = None, skill_id: str = SKILL_ID) -> dict:
    """A slot as Alexa sends it: with an entity-resolution block when it has a value (a match when ``match_id``
    is given, named ``canonical`` or as said)."""
    data: dict = {"name": name, "confirmationStatus": "NONE"}
    if value is not None:
        data["value"] = value
        code = "ER_SUCCESS_MATCH" if match_id else "ER_SUCCESS_NO_MATCH"
        per_authority = {"authority": f"amzn1.er-authority.echo-sdk.{skill_id}.{authority}", "status": {"code": code}}
        if match_id:
            per_authority["values"] = [{"value": {"name": canonical or value, "id": match_id}}]
        data["resolutions"] = {"resolutionsPerAuthority": [per_authority]}
    return data


def intent_request(name: str, *slots: dict) -> dict:
    return {"type": "IntentRequest", "dialogState": "COMPLETED",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": {s["name"]: s for s in slots}}}


def envelope(request: dict, *, user_id: str = USER_ID, attributes: dict | None = None, new: bool = False,
             session: bool = True, session_id: str = "amzn1.echo-api.session.TEST", application_id: str = SKILL_ID,
             timestamp: str | None = None, locale: str = "en-US", api_endpoint: str = API_ENDPOINT,
             api_token: str = API_TOKEN, consent: bool = False, unique_ids: bool = False,
             request_id: str | None = None) -> dict:
    """A whole request envelope around ``request`` (its type and fields). ``consent`` adds the timers permission's
    consent token; ``unique_ids`` makes the request id globally unique instead of a short counter."""
    request_id = request_id or f"amzn1.echo-api.request.{uuid.uuid4() if unique_ids else next(_ids)}"
    request = {"requestId": request_id, "timestamp": timestamp or iso_now(), "locale": locale, **request}
    user: dict = {"userId": user_id}
    if consent:
        user["permissions"] = {"consentToken": api_token}
    system = {"application": {"applicationId": application_id}, "user": user,
              "device": {"deviceId": "amzn1.ask.device.TEST", "supportedInterfaces": {}},
              "apiEndpoint": api_endpoint, "apiAccessToken": api_token}
    body = {"version": "1.0", "context": {"System": system}, "request": request}
    if session:
        body["session"] = {"new": new, "sessionId": session_id, "application": {"applicationId": application_id},
                           "user": {"userId": user_id}, "attributes": attributes or {}}
    return body
