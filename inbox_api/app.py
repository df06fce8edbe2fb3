"""The app factory: `uvicorn --factory inbox_api.app:create_app`."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Receive, Scope, Send

from inbox_api.answers.router import router as answers_router
from inbox_api.assignment.router import router as assignment_router
from inbox_api.assignment.service import Assigner
from inbox_api.background import stop_task
from inbox_api.brand_answers.router import router as brand_answers_router
from inbox_api.conversations.router import router as conversations_router
from inbox_api.csat.router import router as csat_router
from inbox_api.dashboard.router import router as dashboard_router
from inbox_api.delivery.rasa import RasaClient
from inbox_api.delivery.router import router as delivery_router
from inbox_api.delivery.worker import DeliveryWorker
from inbox_api.errors import ERROR_RESPONSES, install_error_handlers
from inbox_api.limits import BodySizeLimit
from inbox_api.live.broadcaster import Broadcaster, InProcessBroadcaster, RedisBroadcaster
from inbox_api.live.router import router as live_router
from inbox_api.live.shutdown import ShutdownNotice
from inbox_api.model_server.router import router as model_server_router
from inbox_api.nlu_review.router import page_router as nlu_review_page_router
from inbox_api.nlu_review.router import router as nlu_review_router
from inbox_api.notifications.router import router as notifications_router
from inbox_api.observability.metrics import InboxMetrics
from inbox_api.observability.router import router as health_router
from inbox_api.privacy.retention import RetentionLoop
from inbox_api.privacy.router import router as privacy_router
from inbox_api.production import check_production
from inbox_api.runtime import Runtime
from inbox_api.saved_replies.router import router as saved_replies_router
from inbox_api.schemas import BusinessTimezone
from inbox_api.settings import Settings
from inbox_api.sla import service as sla_service
from inbox_api.sla.calendar import BusinessCalendar, public_holidays
from inbox_api.sla.policy import Targets, channel_targets
from inbox_api.sla.router import router as sla_router
from inbox_api.sla.scheduler import InProcessScheduler, RedisScheduler, Scheduler
from inbox_api.snooze.router import router as snooze_router
from inbox_api.staff.cache import StaffCache
from inbox_api.staff.router import router as staff_router
from inbox_api.tickets.router import router as tickets_router
from inbox_api.web.router import router as web_router
from kit import log_privacy
from kit.database import create_engine, session_factory

log = logging.getLogger(__name__)

# Every domain's router; a new domain (e.g. nlu_review) adds its router here.
ROUTERS: list[APIRouter] = [
    health_router,
    brand_answers_router,
    staff_router,
    tickets_router,
    assignment_router,
    privacy_router,
    saved_replies_router,
    answers_router,
    snooze_router,
    notifications_router,
    csat_router,
    dashboard_router,
    delivery_router,
    sla_router,
    conversations_router,
    live_router,
    nlu_review_router,
    model_server_router,
    nlu_review_page_router,
    web_router,
]


def build_runtime(settings: Settings) -> Runtime:
    """Engine, sessions, Redis (optional), broadcaster and scheduler for these settings."""
    engine = create_engine(settings.database_url)
    redis: Redis | None = None
    broadcaster: Broadcaster
    scheduler: Scheduler
    if settings.redis_url:
        redis = Redis.from_url(settings.redis_url, decode_responses=True)
        broadcaster = RedisBroadcaster(redis, f"{settings.redis_prefix}:inbox:events")
        scheduler = RedisScheduler(redis, f"{settings.redis_prefix}:inbox:sla-due")
    else:
        broadcaster = InProcessBroadcaster()
        scheduler = InProcessScheduler()
    targets = Targets.from_minutes(
        settings.first_response_minutes,
        settings.next_response_minutes,
        settings.resolution_minutes,
        settings.warning_fraction,
    )
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        redis=redis,
        broadcaster=broadcaster,
        scheduler=scheduler,
        calendar=BusinessCalendar(
            timezone=ZoneInfo(settings.business_timezone),
            hours=settings.business_hours,
            closed_days=public_holidays(settings.holiday_country),
        ),
        targets=targets,
        channel_targets=channel_targets(targets, settings.channel_sla),
        metrics=InboxMetrics(),
        staff_cache=StaffCache(settings.auth_cache_seconds),
    )


class RequestTiming:
    """Observes each HTTP request's latency by route template (plain ASGI: streams pass through)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            state = getattr(scope.get("app"), "state", None)
            runtime: Runtime | None = getattr(state, "runtime", None)
            if runtime is not None:
                runtime.metrics.request_seconds.labels(scope["method"], route).observe(
                    time.perf_counter() - started
                )


def warn_without_redis(settings: Settings) -> bool:
    """Log a loud warning when several workers run without Redis; True when it warned."""
    if settings.redis_url:
        return False
    child = multiprocessing.parent_process() is not None
    if settings.workers <= 1 and not child:
        return False
    log.warning(
        "\n%s\nSEVERAL INBOX WORKERS WITHOUT REDIS (%s).\n"
        "Each worker keeps its live updates and SLA timers to itself: agents on another worker "
        "miss updates and new tickets until they reload.\nSet REDIS_URL, or run one worker.\n%s",
        "!" * 78,
        f"{settings.workers} configured" if settings.workers > 1 else "started as a child process",
        "!" * 78,
    )
    return True


async def _forget_revoked(runtime: Runtime) -> None:
    """Empty the auth cache whenever any worker revokes a staff member's tokens."""
    async with runtime.broadcaster.subscribe() as queue:
        while True:
            event = await queue.get()
            if event.get("type") == "staff.revoked":
                runtime.staff_cache.forget_all()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the inbox API (settings from the environment unless given)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # uvicorn has set up its handlers by now: nothing they write shows a customer's data.
        log_privacy.install()
        warn_without_redis(settings)
        runtime = build_runtime(settings)
        app.state.runtime = runtime
        if settings.production:
            try:
                await check_production(runtime)
            except BaseException:
                await runtime.engine.dispose()
                raise
        notice = ShutdownNotice(runtime.stopping)
        notice.install()
        worker: DeliveryWorker | None = None
        assigner = Assigner(runtime, settings.assignment_poll_seconds)
        reconciler = sla_service.Reconciler(runtime, settings.sla_reconcile_seconds)
        retention = RetentionLoop(
            runtime.sessions,
            runtime.engine,
            settings.rasa_tracker_db,
            settings.retention_days,
            settings.retention_event_days,
            settings.retention_interval_seconds,
        )
        await runtime.broadcaster.start()
        forgetter = asyncio.create_task(_forget_revoked(runtime), name="auth-cache-revocations")
        try:
            if settings.run_workers:
                if not settings.delivery_signing_secret:
                    log.error(
                        "DELIVERY_SIGNING_SECRET is not set: agent replies and hand-backs "
                        "stay undelivered until it is (the action server refuses unsigned ones)"
                    )
                worker = DeliveryWorker(
                    runtime,
                    RasaClient(
                        settings.rasa_url, settings.rasa_token, settings.delivery_timeout_seconds
                    ),
                )
                runtime.wake_delivery = worker.wake
                try:
                    planned = await sla_service.rebuild_schedule(runtime)
                    log.info("SLA scheduler rebuilt from the database: %s checks planned", planned)
                except RedisError:
                    log.warning("Redis is away: SLA checks run from the database until it is back")

                async def handle(ids: list[int]) -> None:
                    await sla_service.check_tickets(runtime, ids)

                await runtime.scheduler.start(handle)
                await reconciler.start()
                await retention.start()
                await worker.start()
                runtime.wake_assignment = assigner.wake
                await assigner.start()
            yield
        finally:
            runtime.stopping.set()
            notice.uninstall()
            if worker is not None:
                await worker.stop()
            await assigner.stop()
            await reconciler.stop()
            await retention.stop()
            await runtime.scheduler.stop()
            await stop_task(forgetter)
            await runtime.broadcaster.stop()
            if runtime.redis is not None:
                await runtime.redis.aclose()
            await runtime.engine.dispose()

    app = FastAPI(
        title="Linde & Co inbox",
        version="1.0.0",
        summary="Human inbox: tickets, business-hours SLAs and replies delivered through Rasa.",
        lifespan=lifespan,
    )
    install_error_handlers(app)

    app.add_middleware(RequestTiming)
    app.add_middleware(BusinessTimezone, timezone=ZoneInfo(settings.business_timezone))
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    # Only the configured origins (none by default: the staff pages are served by the inbox).
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )

    for router in ROUTERS:
        app.include_router(router, responses=ERROR_RESPONSES)
    return app
