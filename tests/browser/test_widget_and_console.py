"""What a visitor and an agent see, in a real browser: the widget on the demo page, the console.

A Polish visitor asks a question and a person; an agent logs in, takes the chat and answers; the
visitor sees the answer, the page reloads and the conversation is still there; a visitor's script
is shown as text in the console and never runs."""
from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from tests.browser.conftest import PASSWORD

WIDGET = "#introserv-chat"


async def open_widget(page: Page, base_url: str) -> None:
    await page.goto(f"{base_url}/")
    await page.locator(f"{WIDGET} .bubble").click()
    await expect(page.locator(f"{WIDGET} .panel")).to_be_visible()


async def visitor_says(page: Page, text: str) -> None:
    box = page.locator(f"{WIDGET} textarea")
    await box.fill(text)
    await box.press("Enter")


async def agent_logs_in(page: Page, base_url: str, email: str = "anna@introserv.com") -> None:
    await page.goto(f"{base_url}/agent")
    await page.locator("#email").fill(email)
    await page.locator("#password").fill(PASSWORD)
    await page.locator("#password").press("Enter")
    await expect(page.locator("#me")).to_have_text("Anna Nowak")


async def test_polish_visitor_is_answered_then_taken_over_by_an_agent(server: str, browser: Any, make_agent: Any,
                                                                      screenshot: Any) -> None:
    await make_agent()
    dialogs: list[str] = []
    visitor_ctx = await browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    visitor = await visitor_ctx.new_page()
    visitor.on("dialog", lambda d: dialogs.append(d.message))
    await open_widget(visitor, server)
    await expect(visitor.locator(f"{WIDGET} textarea")).to_have_attribute("placeholder", "Write your message…")

    # Polish in, Polish out: the acknowledgement, the answer, and the widget's own texts.
    await visitor_says(visitor, "Dzień dobry, jak szybko odpowiadacie na zgłoszenia?")
    ack = visitor.locator(f"{WIDGET} .msg.kind-ack")
    await expect(ack).to_contain_text("Pierwszą odpowiedź otrzymasz w ciągu 10 minut")
    await expect(ack.locator(".label")).to_have_text("Wiadomość odebrana")
    await expect(visitor.locator(f"{WIDGET} .msg.kind-answer").first).to_contain_text("inżynier wsparcia")
    await expect(visitor.locator(f"{WIDGET} textarea")).to_have_attribute("placeholder", "Napisz wiadomość…")

    await visitor_says(visitor, "Chcę porozmawiać z konsultantem")
    await expect(visitor.locator(f"{WIDGET} .msg.kind-handoff")).to_contain_text("dołączy tutaj")

    # The agent sees the visitor waiting, in Polish and not verified, and takes the chat.
    agent_ctx = await browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    agent = await agent_ctx.new_page()
    agent.on("dialog", lambda d: dialogs.append(d.message))
    await agent_logs_in(agent, server)
    waiting = agent.locator(".section-waiting .item")
    await expect(waiting).to_have_count(1)
    await expect(waiting).to_contain_text("PL")
    await expect(waiting).to_contain_text("Not verified")
    await expect(waiting).to_contain_text("Asked for a person")
    await waiting.click()
    await agent.locator("#take").click()
    await expect(agent.locator(".section-mine .item")).to_have_count(1)
    await expect(visitor.locator(f"{WIDGET} .msg.notice")).to_contain_text("Anna Nowak")

    # The canned answers are in the customer's language, whatever the console's.
    await expect(agent.locator(".canned-answer").first).to_contain_text("Dzień dobry, tu Anna Nowak")

    # Typing shows on both sides; the reply reaches the visitor as an agent's message.
    await visitor.locator(f"{WIDGET} textarea").press_sequentially("mam pyt")
    await expect(agent.locator("#typing")).to_be_visible()
    await agent.locator("#reply").press_sequentially("Dzień dobry")
    await expect(visitor.locator(f"{WIDGET} .typing")).to_have_text("Anna Nowak pisze…")
    await agent.locator("#reply").fill("Dzień dobry, już sprawdzam Pana serwer.")
    await agent.locator("#reply").press("Enter")
    reply = visitor.locator(f"{WIDGET} .msg.agent")
    await expect(reply.locator(".text")).to_have_text("Dzień dobry, już sprawdzam Pana serwer.")
    await expect(reply.locator(".label")).to_have_text("Zespół wsparcia")
    await expect(agent.locator("#log .seen")).to_be_visible()  # the visitor has the chat open: read
    await screenshot(visitor, "widget-desktop")

    # A visitor's script is text in the console, and nothing runs.
    await visitor.locator(f"{WIDGET} textarea").fill("")
    await visitor_says(visitor, "<script>alert(1)</script><img src=x onerror=alert(2)>")
    payload = agent.locator("#log .author-customer .text").last
    await expect(payload).to_have_text("<script>alert(1)</script><img src=x onerror=alert(2)>")
    assert await agent.locator("#log script, #log img").count() == 0
    await expect(agent.locator("#sections .preview").first).to_contain_text("<script>")
    await expect(visitor.locator(f"{WIDGET} .msg.customer").last.locator(".state")).to_have_text("Przeczytano")
    await screenshot(agent, "console")

    # A reload keeps the conversation, in order, with the agent's message.
    await visitor.reload()
    await expect(visitor.locator(f"{WIDGET} .panel")).to_be_visible()
    texts = visitor.locator(f"{WIDGET} .msg .text")
    await expect(texts.last).to_have_text("<script>alert(1)</script><img src=x onerror=alert(2)>")
    await expect(visitor.locator(f"{WIDGET} .msg.agent .text")).to_have_text("Dzień dobry, już sprawdzam Pana serwer.")
    all_texts = await texts.all_text_contents()
    assert all_texts[0] == "Dzień dobry, jak szybko odpowiadacie na zgłoszenia?"
    assert all_texts.index("Chcę porozmawiać z konsultantem") < all_texts.index("Dzień dobry, już sprawdzam Pana serwer.")
    assert dialogs == [], "no script of the visitor ran anywhere"


async def test_the_widget_fits_a_phone_and_hands_back_to_the_bot(server: str, browser: Any, make_agent: Any,
                                                                  screenshot: Any) -> None:
    await make_agent()
    phone = await browser.new_context(locale="de-DE", viewport={"width": 375, "height": 740}, is_mobile=True,
                                      has_touch=True)
    visitor = await phone.new_page()
    await visitor.goto(f"{server}/")
    bubble = visitor.locator(f"{WIDGET} .bubble")
    box = await bubble.bounding_box()
    assert box and box["x"] + box["width"] > 375 - 40 and box["y"] + box["height"] > 740 - 40, "bottom-right"
    await bubble.click()
    panel = visitor.locator(f"{WIDGET} .panel")
    await expect(panel).to_be_visible()
    frame = await panel.bounding_box()
    assert frame and frame["x"] == 0 and frame["width"] == 375, "the open chat takes the whole phone width"
    await visitor_says(visitor, "Ich möchte bitte mit einem Mitarbeiter sprechen")
    await expect(visitor.locator(f"{WIDGET} .msg.kind-handoff")).to_contain_text("Support-Team")
    await expect(visitor.locator(f"{WIDGET} .send")).to_be_visible()
    send = await visitor.locator(f"{WIDGET} .send").bounding_box()
    assert send and send["x"] + send["width"] <= 375, "the send button is on screen"
    await screenshot(visitor, "widget-phone")

    agent = await (await browser.new_context(locale="de-DE")).new_page()
    await agent_logs_in(agent, server)
    await expect(agent.locator("#take")).to_have_count(1)
    await agent.locator(".section-waiting .item").click()
    await agent.locator("#take").click()
    await agent.locator("#hand-back").click()
    await expect(visitor.locator(f"{WIDGET} .msg.notice").last).to_contain_text("an den Assistenten zurückgegeben")
    await expect(agent.locator(".section-bot .item")).to_have_count(1)
    await visitor_says(visitor, "Danke!")
    await expect(visitor.locator(f"{WIDGET} .msg.bot").last).to_contain_text("Gern geschehen")

    # Taken again from the bot and closed: the visitor may start afresh.
    await agent.locator(".section-bot .item").click()
    await agent.locator("#take").click()
    await agent.locator("#close").click()
    await expect(visitor.locator(f"{WIDGET} .closed")).to_contain_text("Dieses Gespräch ist beendet.")
    await visitor.locator(f"{WIDGET} .restart").click()
    await expect(visitor.locator(f"{WIDGET} .msg")).to_have_count(0)
    await visitor_says(visitor, "Hallo")
    await expect(visitor.locator(f"{WIDGET} .msg.kind-ack")).to_have_count(1)  # a new conversation


async def test_an_agent_can_do_everything_with_the_keyboard(server: str, browser: Any, make_agent: Any) -> None:
    await make_agent()
    visitor = await (await browser.new_context(locale="fr-FR")).new_page()
    await open_widget(visitor, server)
    await visitor_says(visitor, "Je voudrais parler à un conseiller, s'il vous plaît")
    await expect(visitor.locator(f"{WIDGET} .msg.kind-handoff")).to_be_visible()

    agent = await (await browser.new_context(locale="fr-FR")).new_page()
    await agent.goto(f"{server}/agent")
    await expect(agent.locator("#email")).to_be_focused()
    await agent.keyboard.type("anna@introserv.com")
    await agent.keyboard.press("Tab")
    await agent.keyboard.type(PASSWORD)
    await agent.keyboard.press("Enter")
    await expect(agent.locator("#me")).to_have_text("Anna Nowak")
    await expect(agent.locator(".section-waiting .item")).to_have_count(1)
    await expect(agent.locator(".section-waiting h3")).to_contain_text("En attente d'une personne")  # French chrome

    await agent.keyboard.press("Alt+q")
    await expect(agent.locator(".section-waiting .item")).to_be_focused()
    await agent.keyboard.press("Enter")
    await expect(agent.locator("#take")).to_be_focused()
    await agent.keyboard.press("Enter")
    await expect(agent.locator("#reply")).to_be_focused()
    await agent.keyboard.type("Bonjour, je regarde votre demande.")
    await agent.keyboard.press("Enter")
    await expect(visitor.locator(f"{WIDGET} .msg.agent .text")).to_have_text("Bonjour, je regarde votre demande.")
    await expect(agent.locator("#reply")).to_have_value("")


async def test_the_widget_reconnects_by_itself_and_sends_what_was_written_offline(server: str, browser: Any) -> None:
    context = await browser.new_context(locale="es-ES")
    visitor = await context.new_page()
    await open_widget(visitor, server)
    status = visitor.locator(f"{WIDGET} .status")
    await expect(status).to_have_text("Respondemos 24/7")
    await context.set_offline(True)
    await expect(status).to_have_text("Se ha perdido la conexión. Reconectando…")
    await visitor_says(visitor, "¿Cuánto tarda la respuesta a un ticket?")
    mine = visitor.locator(f"{WIDGET} .msg.customer")
    await expect(mine.locator(".state")).to_have_text("Enviando…")
    await context.set_offline(False)
    await expect(status).to_have_text("Respondemos 24/7")
    await expect(mine.locator(".state")).to_have_text("Enviado")
    await expect(visitor.locator(f"{WIDGET} .msg.kind-answer")).to_contain_text("minutos")
    await expect(mine).to_have_count(1)  # sent once, shown once
