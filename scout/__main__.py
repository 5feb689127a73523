from scout.cli import main

raise SystemExit(main())
