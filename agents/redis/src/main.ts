import { runAgent } from '@ocfkit/runtime/run';
import agent from './agent.ts';

runAgent(agent);
