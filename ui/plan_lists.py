"""Every plan list on a page follows the one plan list (``AssistantLoader.current``): each page load
gets the plans as they are now, and an open page moves its lists within seconds when a plan is added
or removed anywhere (the page's «Thêm kế hoạch», ``rag add``, ``rag remove``), keeping the user's ticks,
ticking a new plan and dropping a removed one. The agency list follows the same way."""
from __future__ import annotations

import gradio as gr

from ui.access import Role
from ui.context import PageContext, plan_choices

EVERY_S = 3.0  # how often an open page asks whether the plan list changed (a no-op when it did not)


class PlanLists:
    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        self.plan_lists: list = []
        self.agency_lists: list = []

    def _now(self):
        view = self.ctx.plans
        corpus = view.corpus
        return corpus, (view.version, tuple(corpus.plan_ids))

    def _agency_updates(self, corpus) -> list:
        from ui.tabs.agency import agency_choices

        return [gr.update(choices=agency_choices(corpus)) for _ in self.agency_lists]

    def on_load(self):
        """A page load: every list as the plans are now, all ticked."""
        corpus, shown = self._now()
        choices = plan_choices(corpus)
        return (*[gr.update(choices=choices, value=corpus.plan_ids) for _ in self.plan_lists],
                *self._agency_updates(corpus), shown)

    def on_tick(self, shown, *ticked):
        """An open page: nothing when the list did not change; else the new choices with the user's
        ticks kept, new plans ticked and removed ones dropped."""
        corpus, now = self._now()
        if shown is not None and tuple(shown) == now:
            return (*[gr.update() for _ in self.plan_lists], *[gr.update() for _ in self.agency_lists], shown)
        before = set(shown[1]) if shown else set()
        choices = plan_choices(corpus)
        updates = []
        for ticks in ticked:
            keep = set(ticks or ())
            value = [pid for pid in corpus.plan_ids if pid in keep or pid not in before]
            updates.append(gr.update(choices=choices, value=value))
        return (*updates, *self._agency_updates(corpus), now)

    def wire(self, demo: gr.Blocks, plan_lists: list, agency_lists: list) -> None:
        self.plan_lists, self.agency_lists = list(plan_lists), list(agency_lists)
        wire = self.ctx.wire
        shown = gr.State(None)
        timer = gr.Timer(EVERY_S)
        outputs = [*self.plan_lists, *self.agency_lists, shown]
        wire.on(demo.load, self.on_load, Role.READER, outputs=outputs, show_progress="hidden")
        wire.on(timer.tick, self.on_tick, Role.READER, inputs=[shown, *self.plan_lists], outputs=outputs,
                show_progress="hidden", queue=False)
