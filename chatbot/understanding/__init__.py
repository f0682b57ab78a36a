"""Understanding a customer's message: language, intent and routing, incident details.

Pure and synchronous (no I/O after construction); a message takes a few milliseconds, so the
pipeline may call it on the event loop for chat-sized texts, or in an executor for long emails.
"""
from .analyzer import Analysis, Analyzer, Slots, to_label
from .batch import analyze_stream, score_file
from .intents import INTENTS
from .language import LanguageHints, detect_language
from .ip import parse_ip
from .orders import parse_order
from .quoting import strip_quoted
from .services import parse_service
from .start_time import parse_start_time

__all__ = [
    "INTENTS", "Analysis", "Analyzer", "LanguageHints", "Slots", "analyze_stream", "detect_language",
    "parse_ip", "parse_order", "parse_service", "parse_start_time", "score_file", "strip_quoted", "to_label",
]
