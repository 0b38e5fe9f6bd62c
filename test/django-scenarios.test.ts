import { describeDjangoScenarios } from './helpers/django-scenarios.ts';

describeDjangoScenarios('Django scenarios over HTTP');
