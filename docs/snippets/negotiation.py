"""Content negotiation: pick the media type the client prefers (seed 002's example)."""

from __future__ import annotations

from trioweb import MediaType, Request, Response, TrioWeb, get


@get("/resource", sync_to_thread=False)
def retrieve_resource(request: Request) -> Response[bytes]:
    provided_types = [MediaType.TEXT, MediaType.HTML, "application/xml"]
    preferred_type = request.accept.best_match(provided_types, default=MediaType.TEXT)

    content = None
    if preferred_type == MediaType.TEXT:
        content = b"Hello World!"
    elif preferred_type == MediaType.HTML:
        content = b"<h1>Hello World!</h1>"
    elif preferred_type == "application/xml":
        content = b"<xml><msg>Hello World!</msg></xml>"
    return Response(content=content, media_type=preferred_type)


@get("/report", sync_to_thread=False)
def report(request: Request) -> Response[bytes]:
    """``accepts``: serve CSV only to clients that ask for it, JSON otherwise."""
    if request.accept.accepts("text/csv"):
        return Response(b"id,name\n1,Ada\n", media_type="text/csv")
    return Response([{"id": 1, "name": "Ada"}])


app = TrioWeb(route_handlers=[retrieve_resource, report])
