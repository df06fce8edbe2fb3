"""Meta channels for the Rasa server: Messenger, Instagram Direct and the WhatsApp Cloud API.

The modules without a Rasa import (`signature`, `webhook_events`, `send_payloads`, `window`,
`text_limits`, `store`, `settings`, `customer_texts`) are pure and tested from the app
environment; `messenger` and `whatsapp` hold the Rasa `InputChannel` / `OutputChannel` classes.
"""
