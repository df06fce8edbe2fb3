"""Names shared with domain.yml: slots, intents, actions, forms and responses.

Spelled exactly as in domain.yml; tests/actions/test_domain.py checks the two agree.
"""

from __future__ import annotations

from typing import Final

# --- languages -------------------------------------------------------------------------
DUTCH: Final = "nl"
ENGLISH: Final = "en"
LANGUAGES: Final = (DUTCH, ENGLISH)

# --- slots -----------------------------------------------------------------------------
SLOT_LANGUAGE: Final = "language"
SLOT_HUMAN_OWNED: Final = "human_owned"
SLOT_TICKET_ID: Final = "ticket_id"
SLOT_AGENT_MESSAGE: Final = "agent_message"
SLOT_PRODUCT: Final = "product"
SLOT_CATEGORY: Final = "category"
SLOT_COLOR: Final = "color"
SLOT_SIZE: Final = "size"
SLOT_CITY: Final = "city"
SLOT_EVENT: Final = "event"
SLOT_ORDER_NUMBER: Final = "order_number"
SLOT_VERIFICATION: Final = "verification"
# Set when verification of an order is locked: what a colleague reads in the escalation.
SLOT_VERIFICATION_LOCKOUT: Final = "verification_lockout"
SLOT_RETURN_ITEM: Final = "return_item"
SLOT_RETURN_REASON: Final = "return_reason"
SLOT_ATTENDEE_NAME: Final = "attendee_name"
SLOT_ATTENDEE_EMAIL: Final = "attendee_email"
SLOT_PLACES: Final = "places"
SLOT_LOOKUP_PURPOSE: Final = "lookup_purpose"
# What follow-ups refer to, since which customer message, and the events of the last list
# (actions/conversation_context.py).
SLOT_SUBJECT: Final = "subject"
SLOT_SUBJECT_TURN: Final = "subject_turn"
SLOT_LISTED_EVENTS: Final = "listed_events"
# The resolved ticket the satisfaction question is about, and whether a comment may follow.
SLOT_CSAT_TICKET_ID: Final = "csat_ticket_id"
SLOT_CSAT_AWAITING_COMMENT: Final = "csat_awaiting_comment"

SLOTS: Final = frozenset(
    {
        SLOT_LANGUAGE, SLOT_HUMAN_OWNED, SLOT_TICKET_ID, SLOT_AGENT_MESSAGE, SLOT_PRODUCT,
        SLOT_CATEGORY, SLOT_COLOR, SLOT_SIZE, SLOT_CITY, SLOT_EVENT, SLOT_ORDER_NUMBER,
        SLOT_VERIFICATION, SLOT_RETURN_ITEM, SLOT_RETURN_REASON, SLOT_ATTENDEE_NAME,
        SLOT_ATTENDEE_EMAIL, SLOT_PLACES, SLOT_LOOKUP_PURPOSE, SLOT_VERIFICATION_LOCKOUT,
        SLOT_SUBJECT, SLOT_SUBJECT_TURN, SLOT_LISTED_EVENTS,
        SLOT_CSAT_TICKET_ID, SLOT_CSAT_AWAITING_COMMENT,
    }
)

# --- entities --------------------------------------------------------------------------
ENTITY_AGENT_MESSAGE: Final = "agent_message"
ENTITY_DELIVERY_ID: Final = "delivery_id"
ENTITY_DELIVERY_SIGNATURE: Final = "delivery_signature"
ENTITY_CSAT_RATING: Final = "csat_rating"
ENTITIES: Final = frozenset(
    {"product", "category", "color", "size", "order_number", "event", "city",
     ENTITY_AGENT_MESSAGE, ENTITY_DELIVERY_ID, ENTITY_DELIVERY_SIGNATURE, ENTITY_CSAT_RATING}
)

# --- intents ---------------------------------------------------------------------------
INTENT_GREET: Final = "greet"
INTENT_GOODBYE: Final = "goodbye"
INTENT_THANK: Final = "thank"
INTENT_AFFIRM: Final = "affirm"
INTENT_DENY: Final = "deny"
INTENT_BOT_CHALLENGE: Final = "bot_challenge"
INTENT_HELP: Final = "help"
INTENT_PRODUCT_SEARCH: Final = "product_search"
INTENT_PRODUCT_AVAILABILITY: Final = "product_availability"
INTENT_PRODUCT_PRICE: Final = "product_price"
INTENT_PRODUCT_DETAILS: Final = "product_details"
INTENT_RETURN_POLICY: Final = "return_policy"
INTENT_RETURN_START: Final = "return_start"
INTENT_REFUND_STATUS: Final = "refund_status"
INTENT_ORDER_STATUS: Final = "order_status"
INTENT_EVENT_LIST: Final = "event_list"
INTENT_EVENT_DETAILS: Final = "event_details"
INTENT_EVENT_SIGNUP: Final = "event_signup"
INTENT_HUMAN_HANDOFF: Final = "human_handoff"
INTENT_COMPLAINT: Final = "complaint"
INTENT_CHANGE_LANGUAGE: Final = "change_language"
INTENT_OUT_OF_SCOPE: Final = "out_of_scope"
INTENT_NLU_FALLBACK: Final = "nlu_fallback"
INTENT_EXTERNAL_AGENT_MESSAGE: Final = "EXTERNAL_agent_message"
INTENT_EXTERNAL_HANDBACK: Final = "EXTERNAL_handback"
# The satisfaction survey's buttons.
INTENT_CSAT_ANSWER: Final = "csat_answer"
INTENT_CSAT_NO_COMMENT: Final = "csat_no_comment"

# Intents a customer can express (the NLU model's label set, without nlu_fallback).
CUSTOMER_INTENTS: Final = (
    INTENT_GREET, INTENT_GOODBYE, INTENT_THANK, INTENT_AFFIRM, INTENT_DENY,
    INTENT_BOT_CHALLENGE, INTENT_HELP, INTENT_PRODUCT_SEARCH, INTENT_PRODUCT_AVAILABILITY,
    INTENT_PRODUCT_PRICE, INTENT_PRODUCT_DETAILS, INTENT_RETURN_POLICY, INTENT_RETURN_START,
    INTENT_REFUND_STATUS, INTENT_ORDER_STATUS, INTENT_EVENT_LIST, INTENT_EVENT_DETAILS,
    INTENT_EVENT_SIGNUP, INTENT_HUMAN_HANDOFF, INTENT_COMPLAINT, INTENT_CHANGE_LANGUAGE,
    INTENT_OUT_OF_SCOPE,
)
INTENTS: Final = frozenset(
    {*CUSTOMER_INTENTS, INTENT_NLU_FALLBACK, INTENT_EXTERNAL_AGENT_MESSAGE,
     INTENT_EXTERNAL_HANDBACK, INTENT_CSAT_ANSWER, INTENT_CSAT_NO_COMMENT}
)

# --- forms -----------------------------------------------------------------------------
FORM_RETURN_START: Final = "return_start_form"
FORM_ORDER_LOOKUP: Final = "order_lookup_form"
FORM_EVENT_SIGNUP: Final = "event_signup_form"
FORMS: Final = frozenset({FORM_RETURN_START, FORM_ORDER_LOOKUP, FORM_EVENT_SIGNUP})

# --- custom actions --------------------------------------------------------------------
ACTION_VALIDATE_SLOT_MAPPINGS: Final = "action_validate_slot_mappings"
ACTION_PRODUCT_SEARCH: Final = "action_product_search"
ACTION_PRODUCT_AVAILABILITY: Final = "action_product_availability"
ACTION_PRODUCT_PRICE: Final = "action_product_price"
ACTION_PRODUCT_DETAILS: Final = "action_product_details"
ACTION_RETURN_POLICY: Final = "action_return_policy"
ACTION_RETURN_START: Final = "action_return_start"
ACTION_VALIDATE_RETURN_START_FORM: Final = "validate_return_start_form"
ACTION_REFUND_STATUS: Final = "action_refund_status"
ACTION_ORDER_STATUS: Final = "action_order_status"
ACTION_VALIDATE_ORDER_LOOKUP_FORM: Final = "validate_order_lookup_form"
ACTION_EVENT_LIST: Final = "action_event_list"
ACTION_EVENT_DETAILS: Final = "action_event_details"
ACTION_EVENT_SIGNUP: Final = "action_event_signup"
ACTION_VALIDATE_EVENT_SIGNUP_FORM: Final = "validate_event_signup_form"
ACTION_ESCALATE: Final = "action_escalate"
ACTION_FORWARD_TO_INBOX: Final = "action_forward_to_inbox"
ACTION_RELAY_AGENT_MESSAGE: Final = "action_relay_agent_message"
ACTION_HANDBACK: Final = "action_handback"
ACTION_CLARIFY: Final = "action_clarify"
ACTION_OFF_TOPIC: Final = "action_off_topic"
ACTION_CSAT_ANSWER: Final = "action_csat_answer"
ACTION_CSAT_COMMENT: Final = "action_csat_comment"

ACTIONS: Final = frozenset(
    {
        ACTION_VALIDATE_SLOT_MAPPINGS, ACTION_PRODUCT_SEARCH, ACTION_PRODUCT_AVAILABILITY,
        ACTION_PRODUCT_PRICE, ACTION_PRODUCT_DETAILS, ACTION_RETURN_POLICY,
        ACTION_RETURN_START, ACTION_VALIDATE_RETURN_START_FORM, ACTION_REFUND_STATUS,
        ACTION_ORDER_STATUS, ACTION_VALIDATE_ORDER_LOOKUP_FORM, ACTION_EVENT_LIST,
        ACTION_EVENT_DETAILS, ACTION_EVENT_SIGNUP, ACTION_VALIDATE_EVENT_SIGNUP_FORM,
        ACTION_ESCALATE, ACTION_FORWARD_TO_INBOX, ACTION_RELAY_AGENT_MESSAGE,
        ACTION_HANDBACK, ACTION_CLARIFY, ACTION_OFF_TOPIC, ACTION_CSAT_ANSWER,
        ACTION_CSAT_COMMENT,
    }
)

# --- responses used by the dialogue and escalation actions --------------------------------
UTTER_GREET: Final = "utter_greet"
UTTER_GOODBYE: Final = "utter_goodbye"
UTTER_YOURE_WELCOME: Final = "utter_youre_welcome"
UTTER_HELP: Final = "utter_help"
UTTER_IAMABOT: Final = "utter_iamabot"
UTTER_AFFIRM_ACK: Final = "utter_affirm_ack"
UTTER_DENY_ACK: Final = "utter_deny_ack"
UTTER_LANGUAGE_CHANGED: Final = "utter_language_changed"
UTTER_CLARIFY: Final = "utter_clarify"
UTTER_ESCALATED: Final = "utter_escalated"
UTTER_ESCALATED_NO_TIME: Final = "utter_escalated_no_time"
UTTER_ESCALATION_FAILED: Final = "utter_escalation_failed"
UTTER_FORWARD_FAILED: Final = "utter_forward_failed"
UTTER_HANDBACK: Final = "utter_handback"
UTTER_OFF_TOPIC: Final = "utter_off_topic"
UTTER_NO_WORDS: Final = "utter_no_words"
UTTER_CSAT_QUESTION_GOOD_BAD: Final = "utter_csat_question_good_bad"
UTTER_CSAT_QUESTION_ONE_TO_FIVE: Final = "utter_csat_question_one_to_five"
UTTER_CSAT_COMMENT_OFFER: Final = "utter_csat_comment_offer"
UTTER_CSAT_COMMENT_GO_AHEAD: Final = "utter_csat_comment_go_ahead"
UTTER_CSAT_COMMENT_THANKS: Final = "utter_csat_comment_thanks"
UTTER_CSAT_DONE: Final = "utter_csat_done"
UTTER_CSAT_ALREADY_ANSWERED: Final = "utter_csat_already_answered"
UTTER_CSAT_CLOSED: Final = "utter_csat_closed"
UTTER_CSAT_UNAVAILABLE: Final = "utter_csat_unavailable"

RESPONSES: Final = frozenset(
    {
        UTTER_GREET, UTTER_GOODBYE, UTTER_YOURE_WELCOME, UTTER_HELP, UTTER_IAMABOT,
        UTTER_AFFIRM_ACK, UTTER_DENY_ACK, UTTER_LANGUAGE_CHANGED, UTTER_CLARIFY,
        UTTER_ESCALATED, UTTER_ESCALATED_NO_TIME, UTTER_ESCALATION_FAILED,
        UTTER_FORWARD_FAILED, UTTER_HANDBACK, UTTER_OFF_TOPIC, UTTER_NO_WORDS,
        UTTER_CSAT_QUESTION_GOOD_BAD,
        UTTER_CSAT_QUESTION_ONE_TO_FIVE, UTTER_CSAT_COMMENT_OFFER, UTTER_CSAT_COMMENT_GO_AHEAD,
        UTTER_CSAT_COMMENT_THANKS, UTTER_CSAT_DONE, UTTER_CSAT_ALREADY_ANSWERED,
        UTTER_CSAT_CLOSED, UTTER_CSAT_UNAVAILABLE,
    }
)

# --- general shop questions (actions/faq.py) --------------------------------------------
# Not in domain.yml yet: the retrieval intent `faq` and its training data come with the next
# model (docs/training.md, "Brand answers"); until then nothing in the dialogue runs
# action_answer_faq, and these names are not in the sets above.
INTENT_FAQ: Final = "faq"
ACTION_ANSWER_FAQ: Final = "action_answer_faq"
# A clarification button's entity naming the FAQ topic the customer picked.
ENTITY_FAQ_TOPIC: Final = "faq_topic"
# The retrieval intent's topics (faq/<topic>), one answer each in the catalogue.
FAQ_TOPICS: Final = (
    "shipping_costs",
    "delivery_times",
    "shipping_countries",
    "customs_outside_eu",
    "payment_methods",
    "pay_later",
    "store_hours",
    "store_addresses",
    "size_advice",
    "exchanges",
    "change_order",
    "cancel_order",
    "gift_cards",
    "discount_codes",
    "newsletter",
    "invoices",
    "sustainability",
    "refund_time",
)
# The topics answered from data (stores, size charts) before the answer's own text.
FAQ_STORE_HOURS: Final = "store_hours"
FAQ_STORE_ADDRESSES: Final = "store_addresses"
FAQ_SIZE_ADVICE: Final = "size_advice"

# --- escalation reasons (docs/contracts.md) --------------------------------------------
REASON_FALLBACK: Final = "fallback"
REASON_OUT_OF_SCOPE: Final = "out_of_scope"
REASON_HUMAN_HANDOFF: Final = "human_handoff"
REASON_COMPLAINT: Final = "complaint"
REASON_ACTION_ERROR: Final = "action_error"
REASON_CUSTOMER_MESSAGE: Final = "customer_message"
