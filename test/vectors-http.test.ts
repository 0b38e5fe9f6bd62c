import { describeVectorReplay } from './helpers/vector-replay.ts';

describeVectorReplay();
