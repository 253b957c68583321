import trio
from trioweb import TrioWeb, get
from trioweb.background_tasks import BackgroundTask
from trioweb.response import Stream
from trioweb.testing import AsyncTestClient

async def test_bg_in_nursery_route():
    ran = []
    async def task():
        await trio.sleep(0.05)
        ran.append(1)

    @get("/", background=BackgroundTask(task), cancel_on_disconnect=True)
    async def h() -> str:
        return "hi"

    @get("/s", background=BackgroundTask(task), cancel_on_disconnect=True)
    async def s() -> Stream:
        return Stream(iter(["a", "b"]))

    async with AsyncTestClient(TrioWeb([h, s])) as client:
        r = await client.get("/")
        assert r.text == "hi"
        r = await client.get("/s")
        assert r.text == "ab"
    assert ran == [1, 1]
