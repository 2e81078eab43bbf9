from gradquest.cli import main

raise SystemExit(main())
