import { DockerfileParser, ModifiableInstruction } from 'dockerfile-ast';
import type { Dockerfile, Instruction } from 'dockerfile-ast';

import { readRepositoryFile } from './repository';

/** One build stage: its FROM image (ARG defaults expanded), name and instructions. */
export interface BuildStage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** docker/Dockerfile parsed, split into stages. */
export function readDockerfile(path = 'docker/Dockerfile'): {
  dockerfile: Dockerfile;
  stages: BuildStage[];
} {
  const dockerfile = DockerfileParser.parse(readRepositoryFile(path));
  const stages: BuildStage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [image, as, name] = instruction
        .getExpandedArguments()
        .map((argument) => argument.getValue());
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { dockerfile, stages };
}

/** The instructions of a stage with this keyword. */
export function instructionsOf(stage: BuildStage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.getKeyword() === keyword);
}

/** An instruction's arguments as one string, line continuations joined. */
export function argumentsOf(instruction: Instruction): string {
  return instruction
    .getArguments()
    .map((argument) => argument.getValue())
    .join(' ');
}

/** The `--name=value` flags of COPY, RUN and HEALTHCHECK. */
export function flagsOf(instruction: Instruction): Record<string, string> {
  const flags = instruction instanceof ModifiableInstruction ? instruction.getFlags() : [];
  return Object.fromEntries(flags.map((flag) => [flag.getName(), flag.getValue() ?? '']));
}

/** The exec-form (JSON array) arguments of CMD, ENTRYPOINT or HEALTHCHECK CMD. */
export function execFormOf(instruction: Instruction): string[] {
  const content = instruction.getArgumentsContent() ?? '';
  const json = content.slice(content.indexOf('['));
  return JSON.parse(json) as string[];
}
