from chatbot.cli import main
import sys
sys.exit(main())
