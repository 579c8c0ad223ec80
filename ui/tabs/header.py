"""Above the tabs: the title, the loading status (polled until the index is ready) and the account
line (who is logged in, a link to log out, and a check now and then that the session still holds)."""
from __future__ import annotations

import html

import gradio as gr

from ui.access import Role
from ui.context import PageContext

TITLE = "Hỏi đáp Kế hoạch bảo vệ trẻ em trên môi trường mạng"
ROLE_LABELS = {Role.READER: "người hỏi", Role.EVALUATOR: "đánh giá viên", Role.ADMIN: "quản trị"}

# In the browser: when the session has ended (expired, logged out in another tab or elsewhere, account
# removed), go to the log-in form instead of leaving a page whose every action would be refused with a
# bare "Error". Installed once per page: another tab's log-out arrives at once (BroadcastChannel and a localStorage write); the
# session is checked when the tab comes back into view and on the next click or Enter; any Gradio call
# refused with 401 sends the page to the form too; and a timer checks now and then.
SESSION_CHECK_JS = """() => { fetch('gradio_api/login_check', {credentials: 'same-origin'})
  .then(r => { if (r.status === 401) window.location.href = 'login?expired=1'; }).catch(() => {}); }"""
SESSION_WATCH_JS = """() => {
  if (window.ragSessionWatch) return;
  window.ragSessionWatch = true;
  const go = () => { if (!window.ragLoggingOut) window.location.href = 'login?expired=1'; };
  const check = () => fetch('gradio_api/login_check', {credentials: 'same-origin'})
    .then(r => { if (r.status === 401) go(); }).catch(() => {});
  try { new BroadcastChannel('rag-session').onmessage = (e) => { if (e.data === 'logout') go(); }; } catch (e) {}
  window.addEventListener('storage', (e) => { if (e.key === 'rag-logout') go(); });
  document.addEventListener('visibilitychange', () => { if (!document.hidden) check(); });
  window.addEventListener('focus', check);
  document.addEventListener('pointerdown', check, true);
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter') check(); }, true);
  const fetchBefore = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const reply = await fetchBefore(...args);
    const url = String((args[0] && args[0].url) || args[0]);
    if (reply.status === 401 && url.includes('gradio_api') && !url.includes('login_check')) go();
    return reply;
  };
}"""
# Log-out in the same tab, and tell this browser's other tabs at once.
# A broadcast posted just before the page navigates away can be lost with the page: the log-out is also
# written to localStorage (a "storage" event in the other tabs), and the page leaves 150 ms later.
LOGOUT_JS = """() => { window.ragLoggingOut = true;
  try { localStorage.setItem('rag-logout', String(Date.now())); } catch (e) {}
  try { new BroadcastChannel('rag-session').postMessage('logout'); } catch (e) {}
  setTimeout(() => { window.location.href = 'logout'; }, 150); }"""


class Header:
    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx

    def poll_status(self):
        loader = self.ctx.loader
        text = loader.status()
        return gr.update(value=text, visible=bool(text)), gr.Timer(active=not loader.settled)

    def account(self, request: gr.Request):
        """«Đăng nhập: tên (vai trò) · Đăng xuất», on a page with log-in."""
        access = self.ctx.access
        name = access.user_name(request)
        if not name:
            return gr.update(visible=False), gr.update(visible=False)
        label = ROLE_LABELS.get(access.role_of(request), "")
        return gr.update(value=f"Đăng nhập: **{html.escape(name)}** ({label})", visible=True), gr.update(visible=True)

    def layout(self) -> None:
        loader, access = self.ctx.loader, self.ctx.access
        gr.Markdown(f"# {TITLE}\nHỏi bằng tiếng Việt (có dấu hoặc không dấu). Mỗi câu trả lời trích dẫn kế hoạch và "
                    "điều khoản; khi các kế hoạch không nêu, trợ lý nói rõ là không có.")
        self.status = gr.Markdown(loader.status(), visible=bool(loader.status()), elem_id="status")
        self.timer = gr.Timer(1.0, active=not loader.settled)
        with gr.Row(equal_height=True):
            self.bar = gr.Markdown("", visible=False, elem_id="account")
            self.logout = gr.Button("Đăng xuất", visible=False, size="sm", variant="secondary", elem_id="logout",
                                    scale=0, min_width=110)
        every_s = max(2.0, min(15.0, self.ctx.settings.session_hours * 3600 / 4))
        self.session_timer = gr.Timer(every_s, active=access.login)

    def wire(self, demo: gr.Blocks) -> None:
        wire = self.ctx.wire
        wire.on(self.timer.tick, self.poll_status, Role.READER, outputs=[self.status, self.timer])
        self.session_timer.tick(None, js=SESSION_CHECK_JS, api_visibility="private")  # runs in the browser only
        wire.on(demo.load, self.account, Role.READER, outputs=[self.bar, self.logout])
        self.logout.click(None, js=LOGOUT_JS, api_visibility="private")  # runs in the browser only
        if self.ctx.access.login:
            demo.load(None, js=SESSION_WATCH_JS, api_visibility="private")
