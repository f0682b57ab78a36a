"""The assistant's knowledge base: answers to the faq.* intents from the provider's documents."""
from chatbot.knowledge.answers import FAQ_INTENTS, Knowledge

__all__ = ["FAQ_INTENTS", "Knowledge"]
